/**
 * The questions a participant is asked when their programme has ended, as data
 * (`feedback-questions.json`), checked at start-up: each on one agreement scale, plus "Prefer not
 * to answer", every one optional, and one optional comment.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { dataKey, loadDataFile, parseDataFile, ratingScale } from '../platform/data-file.ts';

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'feedback-questions.json');

/** What a saved answer holds for "Prefer not to answer". */
export const PREFER_NOT = 'prefer_not';

/** The longest comment the table takes (its CHECK constraint). */
export const COMMENT_MAX = 1000;

const schema = z
  .strictObject({
    $comment: z.string().optional(),
    scale: ratingScale(7),
    preferNotToAnswer: z.string().trim().min(1).max(30),
    questions: z
      .array(z.strictObject({ key: dataKey, text: z.string().trim().min(1).max(120) }))
      .min(1)
      .max(12),
    comment: z.strictObject({
      label: z.string().trim().min(1).max(120),
      hint: z.string().trim().min(1).max(200),
      maxLength: z.number().int().min(1).max(COMMENT_MAX),
    }),
  })
  .superRefine((f, ctx) => {
    const keys = f.questions.map((q) => q.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: 'custom', message: 'a question appears twice' });
    const values = f.scale.map((s) => s.value);
    if (new Set(values).size !== values.length)
      ctx.addIssue({ code: 'custom', message: 'a scale value appears twice' });
  });

export type FeedbackQuestions = z.infer<typeof schema>;

/** One saved answer: a point of the scale, or "Prefer not to answer". */
export type FeedbackAnswer = number | typeof PREFER_NOT;

export function loadFeedbackQuestions(file = FILE): FeedbackQuestions {
  return loadDataFile(schema, file);
}

/** The same check, for a definition held in memory (tests). */
export function parseFeedbackQuestions(json: unknown): FeedbackQuestions {
  return parseDataFile(schema, json, 'feedback questions');
}
