/**
 * Loading the plan template at start-up refuses a version that "When I'm struggling" cannot be
 * built from (hazard H17): the sections and fields it reads must be there, of the right kinds.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPlanTemplates, STRUGGLING_SOURCES, TEMPLATES_DIR, type PlanTemplate } from './plan-template.ts';

const shipped = JSON.parse(readFileSync(path.join(TEMPLATES_DIR, 'v1.json'), 'utf8')) as PlanTemplate;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Loads the shipped v1 and a v2 changed by `change`, as start-up would from the folder. */
function loadWithV2(change: (template: PlanTemplate) => PlanTemplate) {
  dir = mkdtempSync(path.join(tmpdir(), 'greenleaf-templates-'));
  writeFileSync(path.join(dir, 'v1.json'), JSON.stringify(shipped));
  writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(change({ ...shipped, version: 2 })));
  return loadPlanTemplates(undefined, dir);
}

const withoutField = (template: PlanTemplate, sectionKey: string, fieldKey: string): PlanTemplate => ({
  ...template,
  sections: template.sections.map((s) =>
    s.key === sectionKey ? { ...s, fields: s.fields.filter((f) => f.key !== fieldKey) } : s,
  ),
});

describe('the template\'s keys for "When I\'m struggling"', () => {
  it('are all in the shipped template, with the kinds the page reads', () => {
    const latest = loadPlanTemplates().latest;
    for (const source of Object.values(STRUGGLING_SOURCES)) {
      const field = latest.sections
        .find((s) => s.key === source.section)
        ?.fields.find((f) => f.key === source.field);
      expect(field?.kind, `${source.section}.${source.field}`).toBe(source.kind);
    }
  });

  it('refuses to start with a later template missing one of its fields, naming the field', () => {
    expect(() => loadWithV2((t) => withoutField(t, 'ups_and_downs', 'what_others_can_do'))).toThrow(
      /v2\.json is not valid:[\s\S]*ups_and_downs\.what_others_can_do: "When I'm struggling" reads this list field, and this template has no such field/,
    );
  });

  it('refuses to start with a later template missing the people to call, naming them', () => {
    expect(() =>
      loadWithV2((t) => ({ ...t, sections: t.sections.filter((s) => s.key !== 'people_and_places') })),
    ).toThrow(/people_and_places\.supporters: "When I'm struggling" reads this supporters field/);
  });

  it('refuses a field the page reads when it is of another kind', () => {
    const asText = (t: PlanTemplate): PlanTemplate => ({
      ...t,
      sections: t.sections.map((s) =>
        s.key === 'ups_and_downs'
          ? { ...s, fields: s.fields.map((f) => (f.key === 'warning_signs' ? { ...f, kind: 'text' } : f)) }
          : s,
      ),
    });
    expect(() => loadWithV2(asText)).toThrow(
      /ups_and_downs\.warning_signs: "When I'm struggling" reads this list field, and it is a text field here/,
    );
  });

  it('loads a later template that keeps them', () => {
    expect(loadWithV2((t) => t).latest.version).toBe(2);
  });
});
