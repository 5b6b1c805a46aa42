/**
 * What one entry in a recovery plan holds, by kind. An entry is the unit that is saved,
 * versioned (every save is a revision) and conflict-checked: one free-text answer, one list
 * item, one goal with its steps, one supporter, one service, or one drawing, photo or voice note
 * with its words. The same schemas check a posted form and an autosave.
 */
import { z } from 'zod';
import type { FieldKind } from './plan-template.ts';

export const ENTRY_KINDS = ['text', 'list_item', 'goal', 'supporter', 'service', 'media'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const MEDIA_KINDS = ['drawing', 'photo', 'voice'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** The field key under which a section's drawings, photos and voice notes are kept. */
export const MEDIA_FIELD = 'media';

export const GOAL_PROGRESS = ['not_started', 'started', 'getting_there', 'done'] as const;
export type GoalProgress = (typeof GOAL_PROGRESS)[number];
export const GOAL_PROGRESS_WORDS: Record<GoalProgress, string> = {
  not_started: 'Not started yet',
  started: 'Started',
  getting_there: 'Getting there',
  done: 'Done',
};

export const LIMITS = {
  text: 10_000,
  listItem: 1_000,
  goal: 500,
  step: 300,
  steps: 20,
  name: 200,
  detail: 1_000,
  reach: 300,
  description: 1_000,
} as const;

/** Trims, and measures what a person typed (line breaks normalised so \r\n counts once). */
const typed = (max: number, tooLong: string) =>
  z
    .string()
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, tooLong));

const required = (max: number, missing: string, tooLong: string) =>
  typed(max, tooLong).pipe(z.string().min(1, missing));

const optional = (max: number, tooLong: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, tooLong));

export const textContent = z.strictObject({
  text: typed(LIMITS.text, `Write ${LIMITS.text.toLocaleString('en-GB')} characters or fewer`),
});

export const listItemContent = z.strictObject({
  text: required(
    LIMITS.listItem,
    'Write something, or remove it',
    `Write ${LIMITS.listItem} characters or fewer`,
  ),
});

export const stepSchema = z.strictObject({
  text: required(
    LIMITS.step,
    'Write the step, or leave it out',
    `Each step must be ${LIMITS.step} characters or fewer`,
  ),
  done: z.boolean(),
});

export const goalContent = z.strictObject({
  goal: required(LIMITS.goal, 'Write your goal', `Your goal must be ${LIMITS.goal} characters or fewer`),
  progress: z.enum(GOAL_PROGRESS, { error: 'Choose how it is going' }),
  steps: z.array(stepSchema).max(LIMITS.steps, `You can add up to ${LIMITS.steps} steps`),
});

export const supporterContent = z.strictObject({
  name: required(LIMITS.name, 'Write their name', `Their name must be ${LIMITS.name} characters or fewer`),
  relationship: optional(LIMITS.name, `Must be ${LIMITS.name} characters or fewer`),
  howTheyHelp: optional(LIMITS.detail, `Must be ${LIMITS.detail} characters or fewer`),
  howToReach: optional(LIMITS.reach, `Must be ${LIMITS.reach} characters or fewer`),
});

export const serviceContent = z.strictObject({
  name: required(
    LIMITS.name,
    'Write the name of the service or group',
    `Must be ${LIMITS.name} characters or fewer`,
  ),
  whatTheyOffer: optional(LIMITS.detail, `Must be ${LIMITS.detail} characters or fewer`),
  howToReach: optional(LIMITS.reach, `Must be ${LIMITS.reach} characters or fewer`),
});

export const mediaContent = z.strictObject({
  kind: z.enum(MEDIA_KINDS),
  /** Words that go with it: a caption, or what a drawing shows (its text alternative). */
  description: optional(LIMITS.description, `Must be ${LIMITS.description} characters or fewer`),
});

export type TextContent = z.infer<typeof textContent>;
export type ListItemContent = z.infer<typeof listItemContent>;
export type GoalContent = z.infer<typeof goalContent>;
export type SupporterContent = z.infer<typeof supporterContent>;
export type ServiceContent = z.infer<typeof serviceContent>;
export type MediaContent = z.infer<typeof mediaContent>;

export type EntryContent =
  | { kind: 'text'; content: TextContent }
  | { kind: 'list_item'; content: ListItemContent }
  | { kind: 'goal'; content: GoalContent }
  | { kind: 'supporter'; content: SupporterContent }
  | { kind: 'service'; content: ServiceContent }
  | { kind: 'media'; content: MediaContent };

export const CONTENT_SCHEMAS = {
  text: textContent,
  list_item: listItemContent,
  goal: goalContent,
  supporter: supporterContent,
  service: serviceContent,
  media: mediaContent,
} as const;

/** The kind of entry a template field holds. */
export function entryKindFor(field: FieldKind): Exclude<EntryKind, 'media'> {
  switch (field) {
    case 'text':
      return 'text';
    case 'list':
      return 'list_item';
    case 'goals':
      return 'goal';
    case 'supporters':
      return 'supporter';
    case 'services':
      return 'service';
  }
}

/** Text fields hold one entry; the others hold as many as the person adds. */
export const isSingleEntry = (field: FieldKind) => field === 'text';

/** An entry's words as one plain string, for read-aloud, print and "is anything written". */
export function entryWords(entry: EntryContent): string {
  switch (entry.kind) {
    case 'text':
    case 'list_item':
      return entry.content.text;
    case 'goal':
      return [entry.content.goal, ...entry.content.steps.map((s) => s.text)].join('. ');
    case 'supporter':
      return [
        entry.content.name,
        entry.content.relationship,
        entry.content.howTheyHelp,
        entry.content.howToReach,
      ]
        .filter(Boolean)
        .join('. ');
    case 'service':
      return [entry.content.name, entry.content.whatTheyOffer, entry.content.howToReach]
        .filter(Boolean)
        .join('. ');
    case 'media':
      return entry.content.description;
  }
}
