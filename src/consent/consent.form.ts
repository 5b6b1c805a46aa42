/**
 * "Sharing with the care team": whether the participant agrees the worker may pass things to
 * their clinical team and, if so, what. Hostile input gets messages, never an exception.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { asRecord, type FormValuesOptions } from '../platform/http/form-page.ts';
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

/** What is shown again in the boxes when the form comes back with errors. */
export const VALUES: FormValuesOptions = {
  fields: ['submissionToken', 'consent', 'scope'],
  maxLength: SCOPE_MAX + 100,
};

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
  const parsed = parseForm(schema, asRecord(body));
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
