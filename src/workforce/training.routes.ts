import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import {
  errorSummary,
  notices,
  parseQuery,
  queryText,
  registerFormPage,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { NotFoundError } from '../platform/errors.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import { toCsv } from '../platform/export/csv.ts';
import { parseForm } from '../platform/http/forms.ts';
import { CHECK_KINDS, CHECK_TITLES } from './training-catalogue.ts';
import { gapText } from './readiness.ts';
import { OVERRIDE_MAX_DAYS, type WorkerTrainingPage } from './training.service.ts';
import { canTakeText, matrixCsvRows, statusCell } from './training-views.ts';
import {
  CHECK_ANCHORS,
  CHECK_FIELD_ORDER,
  CHECK_VALUES,
  COMPLETION_ANCHORS,
  COMPLETION_FIELD_ORDER,
  COMPLETION_VALUES,
  NOTE_MAX,
  OVERRIDE_ANCHORS,
  OVERRIDE_FIELD_ORDER,
  OVERRIDE_VALUES,
  parseCheckForm,
  parseCompletionForm,
  parseOverrideForm,
  parseWithdrawForm,
  PROVIDER_MAX,
  REASON_MAX,
  WITHDRAW_VALUES,
} from './training.form.ts';

const noticeFor = notices({
  recorded: 'Training recorded.',
  check: 'Check recorded.',
  allowed: 'They may now take participants until the date you gave. This is shown on their record.',
  ended: 'Exception ended. They take new participants only once their training and checks are complete.',
  withdrawn: 'Record withdrawn. It stays in the history, marked as withdrawn.',
  experienced: 'Saved.',
  supervisor: 'Named supervisor saved. Concerns, alerts and reminders about them now go to this person.',
});

/** `none`, or one of the supervisors listed. */
const supervisorForm = z.object({
  supervisorId: z.union([z.literal('none'), z.uuid()], {
    error: 'Select one of the supervisors listed, or none',
  }),
});

/** `?within=30|60|90`: how soon counts as due on the matrix. */
const WITHIN_CHOICES = [30, 60, 90] as const;
const matrixQuery = z.object({
  within: z
    .enum(['30', '60', '90'])
    .optional()
    .transform((value) => (value === undefined ? undefined : Number(value))),
});

const workerPath = (staffId: string) => `/training/workers/${staffId}`;

function recordView(page: WorkerTrainingPage) {
  return {
    ...page,
    groups: page.groups.map((group) => ({
      title: group.title,
      items: group.items.map(({ item, status, history }) => ({
        item,
        cell: statusCell(status, item.mandatory),
        history: history.map((record) => ({
          ...record,
          withdrawHref: `${workerPath(page.worker.id)}/records/${record.id}/withdraw`,
        })),
      })),
    })),
    checks: page.checks.map((check) => ({ ...check, cell: statusCell(check.status) })),
    gaps: page.readiness.gaps.map(gapText),
    canTake: canTakeText(page),
  };
}

export function registerTrainingRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { training } = services;
  const today = () => ukToday(clock.now());

  const renderRecord = async (request: FastifyRequest, reply: FastifyReply, staffId: string) => {
    const page = await training.record(staffContext(request), staffId);
    return reply.render('workforce/worker-training.njk', {
      pageTitle: page.own ? 'My training' : `Training: ${page.worker.fullName}`,
      contentWidth: 'full',
      backLinkHref: page.own ? undefined : '/training',
      ...recordView(page),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  };

  /** Every worker's training at once (supervisors and the coordinator). */
  app.get('/training', async (request, reply) => {
    const { within } = parseQuery(request, matrixQuery);
    const matrix = await training.matrix(staffContext(request), within);
    return reply.render('workforce/matrix.njk', {
      pageTitle: 'Training and checks',
      contentWidth: 'full',
      ...matrix,
      withinChoices: WITHIN_CHOICES.map((days) => ({
        value: String(days),
        text: `${String(days)} days`,
        selected: days === matrix.withinDays,
      })),
      columns: [
        ...matrix.items.map((item) => ({ title: item.title, short: item.short, mandatory: item.mandatory })),
        ...CHECK_KINDS.map((kind) => ({
          title: CHECK_TITLES[kind],
          short: CHECK_TITLES[kind],
          mandatory: true,
        })),
      ],
      tableRows: matrix.rows.map((row) => ({
        worker: row.worker,
        canTake: canTakeText(row),
        ready: row.readiness.ready,
        cells: [
          ...row.items.map((status, i) => statusCell(status, matrix.items[i]?.mandatory ?? true)),
          ...row.checks.map((status) => statusCell(status)),
        ],
      })),
      csvHref: `/training.csv?within=${String(matrix.withinDays)}`,
    });
  });

  /** The same, to download (spreadsheet formulas neutralised). */
  app.get('/training.csv', async (request, reply) => {
    const { within } = parseQuery(request, matrixQuery);
    const matrix = await training.matrix(staffContext(request), within);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="greenleaf-training-${matrix.today}.csv"`)
      .header('cache-control', 'no-store')
      .send(toCsv(matrixCsvRows(matrix)));
  });

  /** A peer support worker's own record. */
  app.get('/training/mine', (request, reply) => renderRecord(request, reply, staffContext(request).actor.id));

  app.get('/training/workers/:staffId', (request, reply) =>
    renderRecord(request, reply, idParam(request.params, 'staffId')),
  );

  registerFormPage(app, {
    path: '/training/workers/:staffId/record',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'staffId'),
    submissionToken: true,
    values: COMPLETION_VALUES,
    render: async (request, reply, staffId, { values = {}, errors, status }) => {
      const worker = await training.formFor(staffContext(request), staffId, 'training.record');
      return reply.render(
        'workforce/record-training.njk',
        {
          pageTitle: 'Record training',
          contentWidth: 'two-thirds',
          backLinkHref: workerPath(staffId),
          worker,
          groups: training.catalogue.groups.map((group) => ({
            title: group.title,
            items: training.catalogue.items.filter((item) => item.group === group.key),
          })),
          providerMax: PROVIDER_MAX,
          noteMax: NOTE_MAX,
          values,
          ...errorSummary(errors, COMPLETION_FIELD_ORDER, COMPLETION_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseCompletionForm(request.body, training.catalogue, today()),
    save: async (staffId, value, request) => {
      await training.recordCompletion(staffContext(request), staffId, value);
      return `${workerPath(staffId)}?done=recorded`;
    },
  });

  registerFormPage(app, {
    path: '/training/workers/:staffId/checks',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'staffId'),
    submissionToken: true,
    values: CHECK_VALUES,
    render: async (request, reply, staffId, { values = {}, errors, status }) => {
      const worker = await training.formFor(staffContext(request), staffId, 'checks.record');
      return reply.render(
        'workforce/record-check.njk',
        {
          pageTitle: 'Record a pre-employment check',
          contentWidth: 'two-thirds',
          backLinkHref: workerPath(staffId),
          worker,
          kinds: CHECK_KINDS.map((kind) => ({ value: kind, text: CHECK_TITLES[kind] })),
          noteMax: NOTE_MAX,
          values,
          ...errorSummary(errors, CHECK_FIELD_ORDER, CHECK_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseCheckForm(request.body, today()),
    save: async (staffId, value, request) => {
      await training.recordCheck(staffContext(request), staffId, value);
      return `${workerPath(staffId)}?done=check`;
    },
  });

  registerFormPage(app, {
    path: '/training/workers/:staffId/allow',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'staffId'),
    values: OVERRIDE_VALUES,
    render: async (request, reply, staffId, { values = {}, errors, status }) => {
      const page = await training.record(staffContext(request), staffId);
      if (!page.canOverride) throw new NotFoundError('page');
      return reply.render(
        'workforce/allow.njk',
        {
          pageTitle: 'Allow them to take participants',
          contentWidth: 'two-thirds',
          backLinkHref: workerPath(staffId),
          worker: page.worker,
          gaps: page.readiness.gaps.map(gapText),
          current: page.readiness.override,
          maxDays: OVERRIDE_MAX_DAYS,
          reasonMax: REASON_MAX,
          values,
          ...errorSummary(errors, OVERRIDE_FIELD_ORDER, OVERRIDE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseOverrideForm(request.body),
    save: async (staffId, value, request) => {
      await training.allowAllocation(staffContext(request), staffId, value);
      return `${workerPath(staffId)}?done=allowed`;
    },
  });

  app.post('/training/workers/:staffId/allow/end', async (request, reply) => {
    const staffId = idParam(request.params, 'staffId');
    await training.endOverride(staffContext(request), staffId);
    return seeOther(reply, `${workerPath(staffId)}?done=ended`);
  });

  registerFormPage(app, {
    path: '/training/workers/:staffId/records/:recordId/withdraw',
    signedIn: staffContext,
    route: (request) => ({
      staffId: idParam(request.params, 'staffId'),
      recordId: idParam(request.params, 'recordId'),
    }),
    values: WITHDRAW_VALUES,
    render: async (request, reply, { staffId, recordId }, { values = {}, errors, status }) => {
      const page = await training.record(staffContext(request), staffId);
      const found = page.groups
        .flatMap((group) => group.items)
        .flatMap(({ item, history }) => history.map((record) => ({ item, record })))
        .find(({ record }) => record.id === recordId && record.withdrawnAt === null);
      if (!page.canRecord || !found) throw new NotFoundError('page');
      return reply.render(
        'workforce/withdraw.njk',
        {
          pageTitle: 'Withdraw a training record',
          contentWidth: 'two-thirds',
          backLinkHref: workerPath(staffId),
          worker: page.worker,
          item: found.item,
          record: { ...found.record, completedText: formatDate(found.record.completedOn) },
          reasonMax: REASON_MAX,
          values,
          ...errorSummary(errors, ['reason']),
        },
        status,
      );
    },
    parse: (request) => parseWithdrawForm(request.body),
    save: async ({ staffId, recordId }, { reason }, request) => {
      await training.withdraw(staffContext(request), staffId, recordId, reason);
      return `${workerPath(staffId)}?done=withdrawn`;
    },
  });

  registerFormPage(app, {
    path: '/training/workers/:staffId/supervisor',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'staffId'),
    values: { fields: ['supervisorId'], maxLength: 50 },
    render: async (request, reply, staffId, { values, errors, status }) => {
      const { worker, supervisors } = await training.supervisorChoices(staffContext(request), staffId);
      const chosen = values?.supervisorId ?? worker.supervisorId ?? 'none';
      return reply.render(
        'workforce/supervisor.njk',
        {
          pageTitle: 'Named supervisor',
          contentWidth: 'two-thirds',
          backLinkHref: workerPath(staffId),
          worker,
          choices: [
            ...supervisors.map((s) => ({
              value: s.id,
              text: s.fullName,
              hint: s.teamName ? { text: s.teamName } : undefined,
              checked: chosen === s.id,
            })),
            { divider: 'or' },
            {
              value: 'none',
              text: 'None named',
              hint: { text: 'The supervisors of their crisis team' },
              checked: chosen === 'none',
            },
          ],
          ...errorSummary(errors, ['supervisorId'], { supervisorId: 'supervisorId' }),
        },
        status,
      );
    },
    parse: (request) => {
      const parsed = parseForm(supervisorForm, request.body);
      return parsed.ok
        ? { ok: true, value: parsed.value.supervisorId === 'none' ? null : parsed.value.supervisorId }
        : { ok: false, errors: parsed.errors };
    },
    save: async (staffId, supervisorId, request) => {
      await training.assignSupervisor(staffContext(request), staffId, supervisorId);
      return `${workerPath(staffId)}?done=supervisor`;
    },
  });
}
