/**
 * The crisis team admin pages' form (posted body → typed value or field errors) and view models
 * (domain data → what the templates lay out). Field names are the input ids, so each error
 * summary link lands on its field.
 */
import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { errorList, optionalText, parseForm, text, type FormResult } from '../platform/http/forms.ts';
import type { CrisisTeamRow } from './team.repository.ts';
import type { TeamInput } from './team-admin.service.ts';
import { asRecord } from '../platform/http/form-page.ts';
import { asString, collapseSpaces } from './admin-forms.ts';

export const TEAM_NOTICES = {
  'team-created': 'Crisis team added',
  'team-updated': 'Crisis team details updated',
} as const satisfies Record<string, string>;

export const TEAM_FIELDS = ['name', 'phone', 'dutyEmail'] as const;

/** UK numbers: 0 or +44 then 9 or 10 digits, with any spaces, hyphens or brackets. */
export function isUkPhoneNumber(value: string): boolean {
  return /^(?:0|\+44)\d{9,10}$/.test(value.replace(/[\s()-]/g, ''));
}

const teamSchema = z.object({
  name: text('Enter the crisis team name', 100, 'Crisis team name must be 100 characters or fewer').transform(
    collapseSpaces,
  ),
  phone: text('Enter the crisis team phone number', 30, 'Enter a UK phone number, like 01632 960 001')
    .transform(collapseSpaces)
    .refine(isUkPhoneNumber, 'Enter a UK phone number, like 01632 960 001'),
  // Where unacknowledged safety concerns go first (an NHS shared mailbox); without one, the
  // team's clinicians are emailed.
  dutyEmail: optionalText(254, 'Duty email must be 254 characters or fewer').refine(
    (value) => value === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
    'Enter the duty email in the correct format, like crisis.duty@nhs.net',
  ),
});

export function parseTeamForm(body: unknown): FormResult<TeamInput> {
  return parseForm(teamSchema, body);
}

export interface TeamFormValues {
  name: string;
  phone: string;
  dutyEmail: string;
}

export const teamFormValues = (body: unknown): TeamFormValues => ({
  name: asString(asRecord(body).name),
  phone: asString(asRecord(body).phone),
  dutyEmail: asString(asRecord(body).dutyEmail),
});

export function teamFormView(args: {
  team?: CrisisTeamRow;
  values: TeamFormValues;
  errors?: FieldErrors;
  version?: number;
}): Record<string, unknown> {
  const errors = args.errors ?? {};
  const editing = args.team !== undefined;
  return {
    pageTitle: editing ? 'Change crisis team details' : 'Add a crisis team',
    caption: editing ? args.team?.name : undefined,
    action: editing ? `/admin/teams/${args.team?.id}/edit` : '/admin/teams/new',
    backLinkHref: '/admin/teams',
    submitText: editing ? 'Save changes' : 'Add crisis team',
    values: args.values,
    version: args.version ?? args.team?.version,
    errors,
    errorList: errorList(errors, TEAM_FIELDS),
  };
}

export function teamsView(teams: CrisisTeamRow[], notice: string | undefined): Record<string, unknown> {
  return {
    pageTitle: 'Crisis teams',
    notice,
    teams: teams.map((team) => ({
      name: team.name,
      phone: team.phone,
      changeHref: `/admin/teams/${team.id}/edit`,
    })),
  };
}
