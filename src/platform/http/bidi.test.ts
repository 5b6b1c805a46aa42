import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isolateText, isolateUserText, stripDirectionControls } from './bidi.ts';

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('stripDirectionControls', () => {
  it('takes out every embedding, override and isolate, and nothing else', () => {
    expect(stripDirectionControls('Ann\u202Eeb \u2066x\u2069')).toBe('Anneb x');
    // The marks a right-to-left keyboard may type are not overrides: they stay.
    expect(stripDirectionControls('a\u200Fb\u200E')).toBe('a\u200Fb\u200E');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CONTROLS, 'a', 'م', ' ') }), (text) => {
        const clean = stripDirectionControls(text);
        for (const control of CONTROLS) expect(clean).not.toContain(control);
        expect(clean).toBe(text.replace(/[\u202A-\u202E\u2066-\u2069]/g, ''));
      }),
    );
  });
});

describe('isolateText', () => {
  it('isolates right-to-left words, leaves left-to-right text and our sentences around names alone', () => {
    expect(isolateText('Pat Peer')).toBe('Pat Peer');
    expect(isolateText('محمد علي')).toBe('\u2068محمد علي\u2069');
    expect(isolateText('שרה 2')).toBe('\u2068שרה 2\u2069');
    expect(isolateText("محمد's recovery plan")).toBe("محمد's recovery plan");
    expect(isolateText('\u202Eمحمد')).toBe('\u2068محمد\u2069');
    expect(isolateText('Ann\u202Eeb')).toBe('Anneb');
  });

  it('never lets a control through, whatever is typed', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...CONTROLS, 'a', 'م', '1', ' ', "'") }), (text) => {
        const shown = isolateText(text);
        const inner = shown.startsWith('\u2068') && shown.endsWith('\u2069') ? shown.slice(1, -1) : shown;
        expect(inner).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      }),
    );
  });
});

describe('isolateUserText', () => {
  it('returns the very same view when nothing needs changing', () => {
    const view = { title: 'Caseload', rows: [{ name: 'Pat', when: new Date(0) }], count: 3 };
    expect(isolateUserText(view)).toBe(view);
  });

  it('copies only what changed, never touching the objects it was given', () => {
    const shared = { sections: [{ title: 'Keeping well' }] };
    const view = { template: shared, people: [{ name: 'Ann\u202Eeb' }, { name: 'Bea' }], when: new Date(0) };
    const shown = isolateUserText(view);
    expect(shown.people).toEqual([{ name: 'Anneb' }, { name: 'Bea' }]);
    expect(view.people[0]!.name).toBe('Ann\u202Eeb');
    expect(shown.template).toBe(shared);
    expect(shown.people[1]).toBe(view.people[1]);
    expect(shown.when).toBe(view.when);
  });
});
