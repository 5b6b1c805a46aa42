import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The WCAG 2.2 AA rule set the service is held to (STACK.md: Accessibility). */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** One readable line per violation: rule id, what it asks for, and the elements that break it. */
export function describeViolation(violation: Violation): string {
  const targets = violation.nodes.map((node) =>
    node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' '),
  );
  return `${violation.id} (${violation.impact ?? 'impact unknown'}): ${violation.help} → ${targets.join(', ')}`;
}

/**
 * Fails the test when axe finds WCAG 2.2 AA violations on the page as it is now. Call it
 * again after each state change worth checking (an error summary shown, a menu opened).
 */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[] } = {}): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags(axeTags);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  expect(violations.map(describeViolation), `accessibility violations on ${page.url()}`).toEqual([]);
}
