import { describe, expect, it } from 'vitest';
import { consortDiagram, wrap } from './consort-diagram.ts';

const FLOW = {
  assessed: 120,
  excluded: {
    people: 41,
    lines: [
      { label: 'Not eligible', people: 25 },
      { label: 'Declined <to take part>', people: 12 },
      { label: 'Not approached', people: 4 },
    ],
  },
  enrolled: { title: 'Consented', people: 79 },
  arms: [],
};

/** The words drawn, a box's wrapped lines joined again. */
const wordsOf = (svg: string) => svg.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the CONSORT flow diagram', () => {
  it('draws everyone assessed, those excluded and why, and those enrolled, words escaped', () => {
    const svg = consortDiagram(FLOW);
    expect(svg).toMatch(/^<svg class="app-consort"[^>]*aria-hidden="true"/);
    for (const text of [
      'Assessed for eligibility',
      '120 people',
      'Excluded',
      '41 people',
      'Not eligible: 25',
      'Consented',
      '79 people',
    ])
      expect(wordsOf(svg)).toContain(text);
    expect(wordsOf(svg)).toContain('Declined &lt;to take part&gt;: 12');
    expect(svg).not.toContain('<to take part>');
    // Three boxes and two arrows before anyone is randomised.
    expect(svg.match(/<rect/g)).toHaveLength(3);
    expect(svg.match(/<line/g)).toHaveLength(2);
  });

  it('adds a column for each arm once people are randomised, each step with its arrow', () => {
    const svg = consortDiagram({
      ...FLOW,
      enrolled: { title: 'Randomised', people: 79 },
      arms: [
        {
          title: 'Peer support',
          lines: [
            { label: 'Allocated', people: 40 },
            { label: 'Analysed', people: 1 },
          ],
        },
        {
          title: 'Workbook only',
          lines: [
            { label: 'Allocated', people: 39 },
            { label: 'Analysed', people: 36 },
          ],
        },
      ],
    });
    expect(wordsOf(svg)).toContain('Peer support');
    expect(wordsOf(svg)).toContain(' 1 person ');
    expect(svg.match(/<rect/g)).toHaveLength(3 + 2 * 3);
    // Two lines of the branch, then per arm its arrow in and one into each of its two steps.
    expect(svg.match(/<line/g)).toHaveLength(2 + 2 + 2 * 3);
    // The drawing grows to hold them.
    const [, , , height] =
      /viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"/.exec(svg)?.slice(1).map(Number) ?? [];
    expect(height).toBeGreaterThan(250);
  });

  it('wraps words to fit a box, never breaking one', () => {
    expect(wrap('Readmitted to hospital or crisis care', 12)).toEqual([
      'Readmitted',
      'to hospital',
      'or crisis',
      'care',
    ]);
    expect(wrap('Supercalifragilistic', 5)).toEqual(['Supercalifragilistic']);
  });
});
