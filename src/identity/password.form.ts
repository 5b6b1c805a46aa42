/**
 * The forms where staff choose their own password: at the first sign-in, from a set-up link,
 * and on the change-password page. A new password is checked as at account creation
 * (`newPasswordProblem`) and typed twice, since without JavaScript it cannot be shown to check.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { errorList, parseForm, type FormResult } from '../platform/http/forms.ts';
import { newPasswordProblem } from './password.ts';

export const PASSWORD_FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

const newPassword = z
  .string({ error: 'Enter a new password' })
  .min(1, 'Enter a new password')
  .superRefine((value, context) => {
    const problem = newPasswordProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
const confirmPassword = z
  .string({ error: 'Enter the new password again' })
  .min(1, 'Enter the new password again')
  .max(256, 'The passwords do not match');

const matching = (value: { newPassword: string; confirmPassword: string }, context: z.RefinementCtx) => {
  if (value.newPassword !== value.confirmPassword)
    context.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'The passwords do not match' });
};

const newPasswordSchema = z.object({ newPassword, confirmPassword }).superRefine(matching);
const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: 'Enter your current password' })
      .min(1, 'Enter your current password')
      .max(256, 'Your current password is not correct'),
    newPassword,
    confirmPassword,
  })
  .superRefine(matching);

export type NewPasswordInput = z.infer<typeof newPasswordSchema>;
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const parseNewPasswordForm = (body: unknown): FormResult<NewPasswordInput> =>
  parseForm(newPasswordSchema, body);

export const parseChangePasswordForm = (body: unknown): FormResult<ChangePasswordInput> =>
  parseForm(changePasswordSchema, body);

/** What a password page needs to show its errors; passwords are never sent back to the browser. */
export function passwordErrorsView(errors: FieldErrors | undefined): Record<string, unknown> {
  return { errors: errors ?? {}, errorList: errors ? errorList(errors, PASSWORD_FIELDS) : [] };
}
