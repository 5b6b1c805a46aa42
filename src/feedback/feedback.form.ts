/**
 * The participant's feedback form: one radio group per question (optional, each a point of the
 * scale or "Prefer not to answer"), an optional comment, and two buttons, "Send" and "No thanks".
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import type { Parsed } from '../platform/http/form-page.ts';
import { optionalText, parseForm, submissionToken } from '../platform/http/forms.ts';
import { PREFER_NOT, type FeedbackAnswer, type FeedbackQuestions } from './feedback-questions.ts';

export type FeedbackInput =
  | {
      action: 'send';
      submissionToken: string;
      answers: Record<string, FeedbackAnswer>;
      comment: string | null;
    }
  | { action: 'decline'; submissionToken: string };

/** The names the form posts, in page order (for the error summary and the values shown again). */
export function feedbackFields(questions: FeedbackQuestions): string[] {
  return [...questions.questions.map((q) => q.key), 'comment'];
}

export function parseFeedbackForm(questions: FeedbackQuestions, body: unknown): Parsed<FeedbackInput> {
  const values: [string, ...string[]] = [PREFER_NOT, ...questions.scale.map((s) => String(s.value))];
  const answerFields = Object.fromEntries(
    questions.questions.map((q) => [
      q.key,
      z.enum(values, { error: `Choose one of the answers to “${q.text}”, or leave it blank` }).optional(),
    ]),
  );
  const schema = z.object({
    submissionToken,
    action: z.enum(['send', 'decline'], { error: 'Choose Send or No thanks' }),
    ...answerFields,
    comment: optionalText(
      questions.comment.maxLength,
      `What you would like to tell us must be ${String(questions.comment.maxLength)} characters or fewer`,
    ),
  });
  const parsed = parseForm(schema, body);
  // No thanks needs nothing else from the form.
  const token = parsed.ok ? parsed.value.submissionToken : parsed.partial?.submissionToken;
  const action = parsed.ok ? parsed.value.action : parsed.partial?.action;
  if (action === 'decline' && token) return { ok: true, value: { action, submissionToken: token } };
  if (!parsed.ok) return { ok: false, errors: parsed.errors };

  const answers: Record<string, FeedbackAnswer> = {};
  const posted = parsed.value as Record<string, unknown>;
  for (const q of questions.questions) {
    const value = posted[q.key];
    if (typeof value === 'string') answers[q.key] = value === PREFER_NOT ? PREFER_NOT : Number(value);
  }
  const comment = parsed.value.comment;
  if (Object.keys(answers).length === 0 && comment === null) {
    const first = questions.questions[0]?.key ?? 'comment';
    const errors: FieldErrors = {
      [first]: 'Answer at least one question or write something in the box, or choose No thanks',
    };
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: { action: 'send', submissionToken: parsed.value.submissionToken, answers, comment },
  };
}
