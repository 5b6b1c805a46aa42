import { describe, expect, it } from 'vitest';
import { entry, fullPlanDocument, media, PAT } from '../test-support/plan-documents.ts';
import type { PlanDocument } from './plan-document.ts';
import { loadPlanTemplates } from './plan-template.ts';
import { printView } from './print.view-model.ts';

const images = { photo: Buffer.from('photo'), drawing: Buffer.from('drawing') };
const full = fullPlanDocument(loadPlanTemplates().latest, images);

function withSection(fields: PlanDocument['sections'][number]['fields'], m = full.sections[0]!.media) {
  return { ...full, sections: [{ ...full.sections[0]!, fields, media: m }] };
}
const field = full.sections[0]!.fields[0]!;

describe('the print view', () => {
  it('says the date it was printed, in words, UK time', () => {
    const view = printView({ ...full, generatedAt: new Date('2026-06-30T23:30:00Z') }, '/me/plan');
    expect(view.printedOn).toBe('1 July 2026');
  });

  it('says when the worker wrote something on the participant’s behalf, and only then', () => {
    const view = printView(
      withSection([
        {
          ...field,
          entries: [
            entry({ kind: 'text', content: { text: 'Mine' } }),
            entry({ kind: 'text', content: { text: 'Pat wrote this' } }, PAT),
          ],
        },
      ]),
      '/me/plan',
    );
    expect(view.sections[0]!.fields[0]!.entries.map((e) => e.note)).toEqual([
      undefined,
      'Written by Pat Jones (peer support worker) on your behalf',
    ]);
  });

  it('leaves lines to write on where a field is empty, or holds only blank words', () => {
    const view = printView(
      withSection([{ ...field, entries: [entry({ kind: 'text', content: { text: '  ' } })] }]),
      '/me/plan',
    );
    expect(view.sections[0]!.fields[0]!.entries).toEqual([]);
    expect(view.sections[0]!.fields[0]!.blankLines).toBeGreaterThan(0);
  });

  it('shows goals with their progress in words and each step done or not', () => {
    const goals = full.sections.flatMap((s) => s.fields).find((f) => f.kind === 'goals')!;
    const view = printView(withSection([goals]), '/me/plan');
    expect(view.sections[0]!.fields[0]!.entries[0]).toMatchObject({
      kind: 'goal',
      goal: 'Go back to the allotment',
      progress: 'Getting there',
      steps: [
        { text: 'Ring the allotment secretary', done: true },
        { text: 'Go with Sam on a Saturday morning', done: true },
        { text: 'Plant the broad beans', done: false },
      ],
    });
  });

  it('shows only the parts of a supporter that were filled in', () => {
    const people = full.sections.flatMap((s) => s.fields).find((f) => f.kind === 'supporters')!;
    const view = printView(withSection([people]), '/me/plan');
    expect(view.sections[0]!.fields[0]!.entries[1]).toEqual({
      kind: 'block',
      name: 'Dr Ahmed',
      parts: [
        { label: 'Who they are', value: 'GP' },
        { label: 'How to reach them', value: 'Surgery 01632 960000' },
      ],
      note: 'Written by Pat Jones (peer support worker) on your behalf',
    });
  });

  it('links pictures to this reader’s media address, with words or what they are as alternative text', () => {
    const drawing = media('drawing', images.drawing, '', [10, 10]);
    const photo = media('photo', images.photo, 'The sea', [10, 10]);
    const view = printView(withSection([field], [drawing, photo]), '/participants/p-1/plan');
    expect(view.sections[0]!.media.map((m) => [m.src, m.alt])).toEqual([
      [`/participants/p-1/plan/media/${drawing.mediaId}`, 'Drawing'],
      [`/participants/p-1/plan/media/${photo.mediaId}`, 'The sea'],
    ]);
  });
});
