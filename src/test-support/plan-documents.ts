/**
 * Plan documents built by hand, for the PDF's tests and `npm run bench`: a full plan (every
 * section of the template filled, with two photos and a drawing) and small variations.
 */
import sharp from 'sharp';
import type { PlanDocument, PlanDocumentEntry, PlanDocumentMedia, WrittenBy } from '../plan/plan-document.ts';
import type { EntryContent } from '../plan/plan-entry.ts';
import type { PlanTemplate } from '../plan/plan-template.ts';

export const YOU: WrittenBy = { kind: 'participant', name: 'you' };
export const PAT: WrittenBy = { kind: 'worker', name: 'Pat Jones (peer support worker)' };

const when = new Date('2026-11-26T10:00:00Z');
let counter = 0;
const id = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export function entry(content: EntryContent, writtenBy: WrittenBy = YOU): PlanDocumentEntry {
  return { id: id(), entry: content, writtenBy, updatedAt: when };
}

/** A photo-like JPEG (a gradient with shapes) and a drawing-like PNG (strokes on white). */
export async function sampleImages(): Promise<{ photo: Buffer; drawing: Buffer }> {
  const photoSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#7fb3d5"/><stop offset="1" stop-color="#f6ddcc"/></linearGradient></defs>
    <rect width="1600" height="1200" fill="url(#g)"/>
    <circle cx="1250" cy="260" r="120" fill="#f4d03f"/>
    <path d="M0 900 Q400 650 800 880 T1600 820 V1200 H0 Z" fill="#1e8449"/>
    <path d="M0 1000 Q500 860 1000 1010 T1600 980 V1200 H0 Z" fill="#145a32"/></svg>`;
  const drawingSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="#fff"/>
    <path d="M150 700 C300 300 700 150 1000 200" stroke="#005eb8" stroke-width="14" fill="none"/>
    <circle cx="900" cy="320" r="110" stroke="#d5281b" stroke-width="12" fill="#ffeb3b"/>
    <path d="M200 780 L1050 780" stroke="#007f3b" stroke-width="18"/></svg>`;
  const photo = await sharp(Buffer.from(photoSvg)).jpeg({ quality: 82 }).toBuffer();
  const drawing = await sharp(Buffer.from(drawingSvg)).png().toBuffer();
  return { photo, drawing };
}

export function media(
  kind: PlanDocumentMedia['kind'],
  bytes: Buffer | undefined,
  description: string,
  size: [number, number] | null = null,
  writtenBy: WrittenBy = YOU,
): PlanDocumentMedia {
  return {
    id: id(),
    mediaId: id(),
    kind,
    description,
    contentType: kind === 'voice' ? 'audio/webm' : kind === 'photo' ? 'image/jpeg' : 'image/png',
    width: size?.[0] ?? null,
    height: size?.[1] ?? null,
    bytes,
    writtenBy,
    updatedAt: when,
  };
}

const LONG_TEXT =
  'I had not slept properly for weeks and stopped answering my phone. My sister came round on the Friday.\n\n' +
  'Looking back, the signs were there in the summer: I stopped going to the allotment, and I felt “flat” most days. ' +
  'Café mornings with Zoë and Siân used to help; they cost £3.50 and were worth every penny.';

/** Every enabled section of the template with something in every field, 2 photos and a drawing. */
export function fullPlanDocument(
  template: PlanTemplate,
  images: { photo: Buffer; drawing: Buffer },
  overrides: Partial<PlanDocument> = {},
): PlanDocument {
  const sections = template.sections
    .filter((s) => s.enabled)
    .map((section, index) => ({
      key: section.key,
      title: section.title,
      purpose: section.purpose,
      prompts: section.prompts,
      fields: section.fields.map((field) => {
        const entries: PlanDocumentEntry[] = [];
        switch (field.kind) {
          case 'text':
            entries.push(entry({ kind: 'text', content: { text: LONG_TEXT } }));
            break;
          case 'list':
            entries.push(
              entry({ kind: 'list_item', content: { text: 'A walk by the canal before breakfast' } }),
              entry({ kind: 'list_item', content: { text: 'Ringing my sister on Sundays' } }, PAT),
              entry({ kind: 'list_item', content: { text: 'Going to bed before eleven, even at weekends' } }),
            );
            break;
          case 'goals':
            entries.push(
              entry({
                kind: 'goal',
                content: {
                  goal: 'Go back to the allotment',
                  progress: 'getting_there',
                  steps: [
                    { text: 'Ring the allotment secretary', done: true },
                    { text: 'Go with Sam on a Saturday morning', done: true },
                    { text: 'Plant the broad beans', done: false },
                  ],
                },
              }),
              entry({
                kind: 'goal',
                content: { goal: 'Cook a proper meal twice a week', progress: 'started', steps: [] },
              }),
            );
            break;
          case 'supporters':
            entries.push(
              entry({
                kind: 'supporter',
                content: {
                  name: 'Jo (my sister)',
                  relationship: 'Sister',
                  howTheyHelp: 'Listens without judging. Comes round when I ask.',
                  howToReach: '07700 900123',
                },
              }),
              entry(
                {
                  kind: 'supporter',
                  content: {
                    name: 'Dr Ahmed',
                    relationship: 'GP',
                    howTheyHelp: '',
                    howToReach: 'Surgery 01632 960000',
                  },
                },
                PAT,
              ),
            );
            break;
          case 'services':
            entries.push(
              entry({
                kind: 'service',
                content: {
                  name: 'Riverside Recovery College',
                  whatTheyOffer: 'Free courses about mental health and wellbeing.',
                  howToReach: 'riverside.example.nhs.uk',
                },
              }),
            );
            break;
        }
        return { key: field.key, label: field.label, hint: field.hint, kind: field.kind, entries };
      }),
      media:
        index === 1
          ? [
              media('drawing', images.drawing, 'A path up a hill towards the sun', [1200, 900]),
              media('photo', images.photo, 'The view from the allotment', [1600, 1200]),
            ]
          : index === 2
            ? [
                media('photo', images.photo, '', [1600, 1200], PAT),
                media('voice', undefined, 'What a good day sounds like'),
              ]
            : [],
    }));
  return {
    title: 'Sam’s recovery plan',
    ownerName: 'Sam Taylor',
    introduction: template.introduction,
    generatedAt: when,
    sections,
    crisisContacts: { crisisTeamName: 'Riverside Crisis Team', crisisTeamPhone: '0300 123 4567' },
    ...overrides,
  };
}
