/**
 * The staff account admin pages' forms (posted body → typed value or field errors) and view
 * models (domain data → what the templates lay out). Field names are the input ids, so each
 * error summary link lands on its field; for checkboxes and radios that is the first item's id,
 * which the NHS.UK macros give the bare `idPrefix`.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { checkboxes, errorList, text, type FormResult } from '../platform/http/forms.ts';
import { newPasswordProblem } from '../identity/password.ts';
import { ROLE_LABELS, STAFF_ROLES } from '../policy/actor.ts';
import type { CrisisTeamRow } from './team.repository.ts';
import {
  DEFAULT_CASELOAD_LIMIT,
  MAX_CASELOAD_LIMIT,
  MIN_CASELOAD_LIMIT,
  TEAM_CHOICE_MESSAGE,
  TEAM_REQUIRED_MESSAGE,
  TEAM_ROLES,
  type NewStaffInput,
  type StaffInput,
  type StaffSummary,
} from './staff-admin.service.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { asString, asStrings, collapseSpaces } from './admin-forms.ts';

const uuid = z.uuid();
export const isUuid = (value: unknown): value is string => uuid.safeParse(value).success;

const EMAIL_FAILED =
  'The email with their set-up link has not gone yet. Greenleaf will keep trying, and lists it under messages not delivered if it cannot be sent. You can also send a new set-up link below';

export const STAFF_NOTICES = {
  created:
    'Account created. Give them the temporary password in person or by phone. We have emailed them to say their account exists',
  updated: 'Account details updated',
  disabled:
    'Account disabled. They have been signed out and cannot sign in. Anyone they supported is waiting for a new peer support worker, and anyone they supervised is with their crisis team’s supervisors',
  enabled: 'Account enabled. They can sign in again',
  'sessions-ended': 'They have been signed out everywhere. They will need to sign in again',
  'mfa-reset':
    'Authenticator app reset. They have been signed out, their password no longer works, and we have emailed them a link to choose a new password. They will set up an app again when they next sign in',
  'mfa-reset-not-emailed': `Authenticator app reset. They have been signed out and their password no longer works. ${EMAIL_FAILED}`,
  'set-up-link-sent':
    'Set-up link sent. They have been signed out, their password no longer works, and we have emailed them a link to choose a new password',
  'set-up-link-not-emailed': `They have been signed out and their password no longer works. ${EMAIL_FAILED}`,
} as const satisfies Record<string, string>;

export const STAFF_FIELDS = [
  'fullName',
  'email',
  'roles',
  'caseloadLimit',
  'crisisTeamId',
  'temporaryPassword',
] as const;

const ROLES_MESSAGE = 'Select at least one role';

/** Reads one field with its schema, noting the first problem. */
function field<T>(schema: z.ZodType<T>, value: unknown, name: string, errors: FieldErrors): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors[name] ??= result.error.issues[0]?.message ?? 'Check this answer';
  return undefined;
}

const fullNameSchema = text(
  'Enter their full name',
  100,
  'Full name must be 100 characters or fewer',
).transform(collapseSpaces);
const emailSchema = text(
  'Enter their email address',
  254,
  'Email address must be 254 characters or fewer',
).refine(
  (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
  'Enter an email address in the correct format, like name@example.com',
);
const rolesSchema = checkboxes(STAFF_ROLES, ROLES_MESSAGE)
  .transform((roles) => STAFF_ROLES.filter((role) => roles.includes(role)))
  .refine((roles) => roles.length > 0, ROLES_MESSAGE);
const teamChoiceSchema = z
  .string({ error: TEAM_CHOICE_MESSAGE })
  .refine((value) => value === 'none' || isUuid(value), TEAM_CHOICE_MESSAGE)
  .transform((value) => (value === 'none' ? null : value.toLowerCase()));
const caseloadLimitSchema = z
  .string({ error: 'Enter their caseload limit' })
  .transform((value) => value.trim())
  .pipe(
    z
      .string()
      .min(1, 'Enter their caseload limit')
      .regex(/^\d+$/, 'Caseload limit must be a whole number, like 12')
      .refine(
        (value) =>
          value.length <= 2 && Number(value) >= MIN_CASELOAD_LIMIT && Number(value) <= MAX_CASELOAD_LIMIT,
        `Caseload limit must be between ${MIN_CASELOAD_LIMIT} and ${MAX_CASELOAD_LIMIT}`,
      )
      .transform(Number),
  );
const passwordSchema = z
  .string({ error: 'Enter a temporary password' })
  .min(1, 'Enter a temporary password')
  .superRefine((value, context) => {
    const problem = newPasswordProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

function parseStaffFields(body: Record<string, unknown>, errors: FieldErrors): Partial<StaffInput> {
  const fullName = field(fullNameSchema, body.fullName, 'fullName', errors);
  const roles = field(rolesSchema, body.roles, 'roles', errors);
  // The caseload limit only means something for peer support workers; for anyone else the
  // field may be hidden by the conditional reveal, so it is neither checked nor kept. Whether
  // they may take participants is decided by their training and checks (workforce/readiness.ts).
  const isPeerWorker = roles?.includes('peer_worker') ?? false;
  const caseloadLimit = isPeerWorker
    ? field(caseloadLimitSchema, body.caseloadLimit, 'caseloadLimit', errors)
    : null;
  const crisisTeamId = field(teamChoiceSchema, body.crisisTeamId, 'crisisTeamId', errors);
  if (crisisTeamId === null && roles?.some((role) => TEAM_ROLES.includes(role)))
    errors.crisisTeamId = TEAM_REQUIRED_MESSAGE;
  return {
    fullName,
    roles,
    crisisTeamId,
    caseloadLimit,
  };
}

function complete<T extends object>(value: Partial<T>, errors: FieldErrors): FormResult<T> {
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: value as T };
}

export function parseNewStaffForm(body: unknown): FormResult<NewStaffInput> {
  const fields = asRecord(body);
  const errors: FieldErrors = {};
  const common = parseStaffFields(fields, errors);
  const email = field(emailSchema, fields.email, 'email', errors);
  const temporaryPassword = field(passwordSchema, fields.temporaryPassword, 'temporaryPassword', errors);
  return complete<NewStaffInput>({ ...common, email, temporaryPassword }, errors);
}

export function parseStaffChangesForm(body: unknown): FormResult<StaffInput> {
  const errors: FieldErrors = {};
  return complete<StaffInput>(parseStaffFields(asRecord(body), errors), errors);
}

export interface StaffFormValues {
  fullName: string;
  email: string;
  roles: string[];
  crisisTeamId: string;
  caseloadLimit: string;
}

export const newStaffFormValues = (): StaffFormValues => ({
  fullName: '',
  email: '',
  roles: [],
  crisisTeamId: '',
  caseloadLimit: String(DEFAULT_CASELOAD_LIMIT),
});

export const staffFormValuesFrom = (staff: StaffSummary): StaffFormValues => ({
  fullName: staff.fullName,
  email: staff.email,
  roles: [...staff.roles],
  crisisTeamId: staff.crisisTeamId ?? 'none',
  caseloadLimit: String(staff.caseloadLimit),
});

/** What was posted, as the form shows it again. The password is never sent back to the browser. */
export function postedStaffFormValues(body: unknown): StaffFormValues {
  const fields = asRecord(body);
  return {
    fullName: asString(fields.fullName),
    email: asString(fields.email),
    roles: asStrings(fields.roles).filter((role) => (STAFF_ROLES as readonly string[]).includes(role)),
    crisisTeamId: asString(fields.crisisTeamId),
    caseloadLimit: asString(fields.caseloadLimit),
  };
}

export function staffFormView(args: {
  staff?: StaffSummary;
  teams: CrisisTeamRow[];
  values: StaffFormValues;
  errors?: FieldErrors;
  version?: number;
  /** How long a new account's temporary password works (TEMPORARY_PASSWORD_HOURS). */
  temporaryPasswordHours: number;
}): Record<string, unknown> {
  const errors = args.errors ?? {};
  const { staff } = args;
  return {
    pageTitle: staff ? 'Change account details' : 'Add a staff account',
    caption: staff?.fullName,
    action: staff ? `/admin/staff/${staff.id}/edit` : '/admin/staff/new',
    backLinkHref: staff ? `/admin/staff/${staff.id}` : '/admin/staff',
    submitText: staff ? 'Save changes' : 'Create account',
    creating: staff === undefined,
    email: staff?.email,
    version: args.version ?? staff?.version,
    values: args.values,
    roleOptions: STAFF_ROLES.map((role) => ({ value: role, text: ROLE_LABELS[role] })),
    teamOptions: args.teams.map((team) => ({ value: team.id, text: team.name })),
    defaultCaseloadLimit: DEFAULT_CASELOAD_LIMIT,
    temporaryPasswordHours: args.temporaryPasswordHours,
    errors,
    errorList: errorList(errors, STAFF_FIELDS),
  };
}
