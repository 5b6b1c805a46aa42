/**
 * The programme coordinator's admin pages for their own trust: crisis teams and staff
 * accounts. Thin handlers: parse the form, call the team or staff admin service (which decides
 * who may do what), then re-render with errors (400) or redirect with a fixed success message.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../platform/errors.ts';
import { notices, queryText, submitForm } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import type { StaffAdminService } from './staff-admin.service.ts';
import type { StaffCredentialsService } from './staff-credentials.service.ts';
import type { TeamAdminService } from './team-admin.service.ts';
import { staffListView, staffMemberView } from './staff-views.ts';
import { parseVersion } from './admin-forms.ts';
import {
  isUuid,
  newStaffFormValues,
  parseNewStaffForm,
  parseStaffChangesForm,
  postedStaffFormValues,
  STAFF_NOTICES,
  staffFormValuesFrom,
  staffFormView,
} from './staff-admin.form.ts';
import { parseTeamForm, TEAM_NOTICES, teamFormValues, teamFormView, teamsView } from './team-admin.form.ts';

/** A form posted without its hidden record version was not sent by our page. */
class MissingVersionError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('the form has no record version');
    this.name = 'MissingVersionError';
  }
}

function versionFrom(body: unknown): number {
  const version = parseVersion(body);
  if (version === undefined) throw new MissingVersionError();
  return version;
}

const teamNotices = notices(TEAM_NOTICES);
const staffNotices = notices(STAFF_NOTICES);

export function registerAdminRoutes(
  app: FastifyInstance,
  {
    services,
    config,
  }: {
    services: {
      teamAdmin: TeamAdminService;
      staffAdmin: StaffAdminService;
      staffCredentials: StaffCredentialsService;
    };
    config: { accounts: { temporaryPasswordHours: number } };
  },
): void {
  const { teamAdmin, staffAdmin, staffCredentials } = services;
  const { temporaryPasswordHours } = config.accounts;
  // Fixed success messages for `?done=…`: the query string never puts its own words on the page.
  const teamNotice = (request: FastifyRequest) => teamNotices(queryText(request, 'done'));
  const staffNotice = (request: FastifyRequest) => staffNotices(queryText(request, 'done'));

  // ----------------------------------------------------------------------------- Crisis teams

  app.get('/admin/teams', async (request, reply) => {
    const teams = await teamAdmin.listTeams(staffContext(request));
    return reply.render('organisation/teams.njk', teamsView(teams, teamNotice(request)));
  });

  app.get('/admin/teams/new', (request, reply) => {
    teamAdmin.checkCanManageTeams(staffContext(request));
    return reply.render(
      'organisation/team-form.njk',
      teamFormView({ values: { name: '', phone: '', dutyEmail: '' } }),
    );
  });

  app.post('/admin/teams/new', async (request, reply) => {
    const ctx = staffContext(request);
    teamAdmin.checkCanManageTeams(ctx);
    const again = (errors: FieldErrors) =>
      reply.render(
        'organisation/team-form.njk',
        teamFormView({ values: teamFormValues(request.body), errors }),
        400,
      );
    return submitForm(reply, parseTeamForm(request.body), {
      save: async (value) => {
        await teamAdmin.createTeam(ctx, value);
        return '/admin/teams?done=team-created';
      },
      showAgain: again,
    });
  });

  app.get('/admin/teams/:teamId/edit', async (request, reply) => {
    const team = await teamAdmin.team(staffContext(request), idParam(request.params, 'teamId'));
    return reply.render(
      'organisation/team-form.njk',
      teamFormView({ team, values: { name: team.name, phone: team.phone, dutyEmail: team.dutyEmail ?? '' } }),
    );
  });

  app.post('/admin/teams/:teamId/edit', async (request, reply) => {
    const ctx = staffContext(request);
    const team = await teamAdmin.team(ctx, idParam(request.params, 'teamId'));
    const version = versionFrom(request.body);
    // The version the person saw is carried through every re-render, so a conflict is still caught.
    const again = (errors: FieldErrors) =>
      reply.render(
        'organisation/team-form.njk',
        teamFormView({ team, values: teamFormValues(request.body), errors, version }),
        400,
      );
    return submitForm(reply, parseTeamForm(request.body), {
      save: async (value) => {
        await teamAdmin.updateTeam(ctx, team.id, version, value);
        return '/admin/teams?done=team-updated';
      },
      showAgain: again,
    });
  });

  // ----------------------------------------------------------------------------- Staff accounts

  app.get('/admin/staff', async (request, reply) => {
    const staff = await staffAdmin.listStaff(staffContext(request));
    return reply.render('organisation/staff-list.njk', staffListView(staff, staffNotice(request)));
  });

  app.get('/admin/staff/new', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await staffAdmin.teamOptions(ctx);
    // From an appointed candidate's panel record: their name and email, as a peer support worker.
    const candidateId = queryText(request, 'candidate');
    const candidate =
      candidateId && isUuid(candidateId) ? await staffAdmin.candidateForAccount(ctx, candidateId) : undefined;
    const values = candidate
      ? { ...newStaffFormValues(), ...candidate, roles: ['peer_worker'] }
      : newStaffFormValues();
    return reply.render('organisation/staff-form.njk', staffFormView({ teams, values, temporaryPasswordHours }));
  });

  app.post('/admin/staff/new', async (request, reply) => {
    const ctx = staffContext(request);
    const teams = await staffAdmin.teamOptions(ctx);
    const again = (errors: FieldErrors) =>
      reply.render(
        'organisation/staff-form.njk',
        staffFormView({ teams, values: postedStaffFormValues(request.body), errors, temporaryPasswordHours }),
        400,
      );
    return submitForm(reply, parseNewStaffForm(request.body), {
      save: async (value) => `/admin/staff/${await staffAdmin.createStaff(ctx, value)}?done=created`,
      showAgain: again,
    });
  });

  app.get('/admin/staff/:staffId', async (request, reply) => {
    const staff = await staffAdmin.staffMember(staffContext(request), idParam(request.params, 'staffId'));
    return reply.render(
      'organisation/staff-member.njk',
      staffMemberView(staff, { notice: staffNotice(request) }),
    );
  });

  app.get('/admin/staff/:staffId/edit', async (request, reply) => {
    const ctx = staffContext(request);
    const staff = await staffAdmin.staffMember(ctx, idParam(request.params, 'staffId'));
    const teams = await staffAdmin.teamOptions(ctx);
    return reply.render(
      'organisation/staff-form.njk',
      staffFormView({ staff, teams, values: staffFormValuesFrom(staff), temporaryPasswordHours }),
    );
  });

  app.post('/admin/staff/:staffId/edit', async (request, reply) => {
    const ctx = staffContext(request);
    const staff = await staffAdmin.staffMember(ctx, idParam(request.params, 'staffId'));
    const teams = await staffAdmin.teamOptions(ctx);
    const version = versionFrom(request.body);
    const again = (errors: FieldErrors) =>
      reply.render(
        'organisation/staff-form.njk',
        staffFormView({
          staff,
          teams,
          values: postedStaffFormValues(request.body),
          errors,
          version,
          temporaryPasswordHours,
        }),
        400,
      );
    return submitForm(reply, parseStaffChangesForm(request.body), {
      save: async (value) => {
        await staffAdmin.updateStaff(ctx, staff.id, version, value);
        return `/admin/staff/${staff.id}?done=updated`;
      },
      showAgain: again,
    });
  });

  /**
   * The account buttons on the staff page: each a small form with no fields of its own. Each
   * action answers with the success message to show.
   */
  const accountAction = (
    path: string,
    act: (ctx: ReturnType<typeof staffContext>, staffId: string) => Promise<keyof typeof STAFF_NOTICES>,
  ) =>
    app.post(`/admin/staff/:staffId/${path}`, async (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = staffContext(request);
      const staffId = idParam(request.params, 'staffId');
      const again = async (errors: FieldErrors) =>
        reply.render(
          'organisation/staff-member.njk',
          staffMemberView(await staffAdmin.staffMember(ctx, staffId), { errors }),
          400,
        );
      return submitForm(reply, { ok: true, value: staffId } as const, {
        save: async () => `/admin/staff/${staffId}?done=${await act(ctx, staffId)}`,
        showAgain: again,
      });
    });

  accountAction('disable', async (ctx, staffId) => {
    await staffAdmin.disableStaff(ctx, staffId);
    return 'disabled';
  });
  accountAction('enable', async (ctx, staffId) => {
    await staffAdmin.enableStaff(ctx, staffId);
    return 'enabled';
  });
  accountAction('end-sessions', async (ctx, staffId) => {
    await staffAdmin.endStaffSessions(ctx, staffId);
    return 'sessions-ended';
  });
  accountAction('reset-mfa', async (ctx, staffId) =>
    (await staffCredentials.resetAuthenticator(ctx, staffId)) ? 'mfa-reset' : 'mfa-reset-not-emailed',
  );
  accountAction('send-set-up-link', async (ctx, staffId) =>
    (await staffCredentials.sendSetUpLink(ctx, staffId)) ? 'set-up-link-sent' : 'set-up-link-not-emailed',
  );
}
