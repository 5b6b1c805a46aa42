import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { formatDate } from '../platform/calendar/uk-format.ts';
import { fidelityChart } from './fidelity-chart.ts';
import {
  ACTION_ROWS,
  GROUP_ANCHORS,
  GROUP_FIELD_ORDER,
  GROUP_VALUES,
  NOTES_MAX,
  ONE_TO_ONE_ANCHORS,
  ONE_TO_ONE_FIELD_ORDER,
  ONE_TO_ONE_VALUES,
  parseGroupForm,
  fidelityField,
  parseOneToOneForm,
  parseTargetsForm,
} from './supervision.form.ts';

const noticeFor = notices({
  'one-to-one': '1:1 supervision recorded.',
  group: 'Group supervision recorded.',
  targets: 'Supervision targets saved.',
});

/** How a warning about identifying notes starts: the form then offers "save anyway". */
export const IDENTIFYING_WARNING = 'These notes may identify someone:';

export function registerSupervisionRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { supervision } = services;
  const today = () => ukToday(clock.now());

  /** Who is due or overdue for supervision, and the recent group sessions. */
  app.get('/supervision', async (request, reply) => {
    const { workers, groups, canRecordGroup } = await supervision.overview(staffContext(request));
    return reply.render('workforce/supervision.njk', {
      pageTitle: 'Supervision',
      contentWidth: 'full',
      workers,
      groups,
      canRecordGroup,
      overdueOneToOne: workers.filter((w) => w.due.oneToOneOverdue).length,
      overdueGroup: workers.filter((w) => w.due.groupOverdue).length,
      fidelityItems: supervision.fidelity.items,
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  app.get('/supervision/mine', async (request, reply) => {
    const mine = await supervision.mine(staffContext(request));
    const scale = supervision.fidelity.scale.map((s) => s.value);
    return reply.render('workforce/supervision-mine.njk', {
      pageTitle: 'My supervision',
      contentWidth: 'two-thirds',
      ...mine,
      fidelityChartSvg: fidelityChart(
        mine.fidelity.sessions.flatMap((s) =>
          s.mean === null ? [] : [{ label: formatDate(s.heldOn).replace(/ \d{4}$/, ''), value: s.mean }],
        ),
        Math.min(...scale),
        Math.max(...scale),
      ),
    });
  });

  app.get('/supervision/one-to-one/:sessionId', async (request, reply) => {
    const session = await supervision.oneToOne(staffContext(request), idParam(request.params, 'sessionId'));
    const own = session.workerId === staffContext(request).actor.id;
    const labels = new Map(supervision.fidelity.scale.map((s) => [s.value, s.label]));
    return reply.render('workforce/one-to-one.njk', {
      pageTitle: '1:1 supervision',
      contentWidth: 'two-thirds',
      backLinkHref: own ? '/supervision/mine' : '/supervision',
      session,
      ratings: supervision.fidelity.items.flatMap((item) => {
        const rating = session.fidelity.find((f) => f.itemKey === item.key);
        return rating ? [{ title: item.title, label: labels.get(rating.score) ?? String(rating.score) }] : [];
      }),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/supervision/workers/:workerId/one-to-one',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'workerId'),
    submissionToken: true,
    values: {
      ...ONE_TO_ONE_VALUES,
      fields: [
        ...(ONE_TO_ONE_VALUES.fields ?? []),
        ...supervision.fidelity.items.map((item) => fidelityField(item.key)),
      ],
    },
    render: async (request, reply, workerId, { values = {}, errors, status }) => {
      const worker = await supervision.oneToOneForm(staffContext(request), workerId);
      return reply.render(
        'workforce/one-to-one-form.njk',
        {
          pageTitle: 'Record 1:1 supervision',
          contentWidth: 'two-thirds',
          backLinkHref: '/supervision',
          worker,
          actionRows: Array.from({ length: ACTION_ROWS }, (_, i) => i + 1),
          fidelityGroups: supervision.fidelity.groups.map((group) => ({
            title: group.title,
            items: supervision.fidelity.items
              .filter((item) => item.group === group.key)
              .map((item) => ({
                name: fidelityField(item.key),
                title: item.title,
                choices: supervision.fidelity.scale.map((s) => ({
                  value: String(s.value),
                  text: s.label,
                  checked: values[fidelityField(item.key)] === String(s.value),
                })),
              })),
          })),
          notesMax: NOTES_MAX,
          values,
          ...errorSummary(errors, ONE_TO_ONE_FIELD_ORDER, ONE_TO_ONE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseOneToOneForm(request.body, today(), supervision.fidelity),
    save: async (workerId, value, request) => {
      const id = await supervision.recordOneToOne(staffContext(request), workerId, value);
      return `/supervision/one-to-one/${id}?done=one-to-one`;
    },
  });

  registerFormPage(app, {
    path: '/supervision/group',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: GROUP_VALUES,
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const workers = await supervision.groupForm(staffContext(request));
      const chosen = (name: string) => {
        const value = values[name];
        return Array.isArray(value) ? value : value ? [value] : [];
      };
      return reply.render(
        'workforce/group-form.njk',
        {
          pageTitle: 'Record group supervision',
          contentWidth: 'two-thirds',
          backLinkHref: '/supervision',
          attendeeItems: workers.map((w) => ({
            value: w.id,
            text: w.fullName,
            hint: w.teamName ? { text: w.teamName } : undefined,
            checked: chosen('attendeeIds').includes(w.id),
          })),
          themeItems: supervision.themes.map((theme) => ({
            value: theme,
            text: theme,
            checked: chosen('themes').includes(theme),
          })),
          warned: errors?.notes?.startsWith(IDENTIFYING_WARNING) ?? false,
          notesMax: NOTES_MAX,
          values,
          ...errorSummary(errors, GROUP_FIELD_ORDER, GROUP_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseGroupForm(request.body, today(), supervision.themes),
    save: async (_route, value, request) => {
      const outcome = await supervision.recordGroup(staffContext(request), value);
      if ('warnings' in outcome) {
        return {
          errors: {
            notes: `${IDENTIFYING_WARNING} ${outcome.warnings.join(' and ')}. Group notes must not identify anyone. Change them, or tick "Save anyway" if they do not`,
          },
        };
      }
      return '/supervision?done=group';
    },
  });

  /** A worker's own targets, set by the coordinator (empty: the deployment's default). */
  registerFormPage(app, {
    path: '/supervision/workers/:workerId/targets',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'workerId'),
    values: { fields: ['oneToOneEveryDays', 'groupEveryDays'], maxLength: 10 },
    render: async (request, reply, workerId, { values, errors, status }) => {
      const { worker, defaults } = await supervision.targetsForm(staffContext(request), workerId);
      return reply.render(
        'workforce/targets.njk',
        {
          pageTitle: 'Supervision targets',
          contentWidth: 'two-thirds',
          backLinkHref: `/training/workers/${workerId}`,
          worker,
          defaults,
          values: values ?? {
            oneToOneEveryDays: worker.oneToOneEveryDays === null ? '' : String(worker.oneToOneEveryDays),
            groupEveryDays: worker.groupEveryDays === null ? '' : String(worker.groupEveryDays),
          },
          ...errorSummary(errors, ['oneToOneEveryDays', 'groupEveryDays']),
        },
        status,
      );
    },
    parse: (request) => parseTargetsForm(request.body),
    save: async (workerId, targets, request) => {
      await supervision.setTargets(staffContext(request), workerId, targets);
      return '/supervision?done=targets';
    },
  });
}
