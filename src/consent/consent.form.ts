/**
 * "Sharing with the care team": whether the participant agrees the worker may pass things to
 * their clinical team and, if so, what. Hostile input gets messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { optionalText, parseForm, radio, submissionToken } from '../platform/http/forms.ts';
import type { SharingConsentChoice } from './consent.repository.ts';

export const SCOPE_MAX = 1000;
export const CHOICES = ['yes', 'no'] as const satisfies readonly SharingConsentChoice[];
export const FIELD_ORDER = ['consent', 'scope'] as const;
export const ANCHORS: Record<string, string> = { consent: 'consent' };

export interface ConsentInput {
  submissionToken: string;
  consent: SharingConsentChoice;
  /** What they agree can be shared; only kept when they agree. */
  scope: string | null;
}

/** What to put back in the boxes when the form is shown again (strings only, capped). */
export function formValues(body: unknown): Partial<Record<string, string>> {
  const values: Partial<Record<string, string>> = {};
  if (!body || typeof body !== 'object') return values;
  for (const field of ['submissionToken', 'consent', 'scope']) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value.slice(0, SCOPE_MAX + 100);
  }
  return values;
}

const schema = z.object({
  submissionToken,
  consent: radio(CHOICES, 'Select whether they agree to you sharing with their care team'),
  scope: optionalText(
    SCOPE_MAX,
    `What they agree can be shared must be ${String(SCOPE_MAX)} characters or fewer`,
  ),
});

export function parseConsentForm(
  body: unknown,
): { ok: true; value: ConsentInput } | { ok: false; errors: FieldErrors } {
  const parsed = parseForm(schema, body && typeof body === 'object' ? body : {});
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const { consent, scope } = parsed.value;
  return {
    ok: true,
    value: {
      submissionToken: parsed.value.submissionToken,
      consent,
      scope: consent === 'yes' ? scope : null,
    },
  };
}
