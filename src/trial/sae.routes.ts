/** Serious adverse events (trial mode only): recording one, the list with its clocks, and its report to the sponsor. */
import type { FastifyInstance } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import type { Clock } from '../platform/clock.ts';
import {
  EXPECTEDNESS,
  RELATEDNESS,
  RELATEDNESS_WORDS,
  relatedAndUnexpected,
} from './serious-adverse-events.ts';
import type { SaeEvent, SaeService } from './sae.service.ts';
import { parseReportedForm, parseSaeForm, SAE_ANCHORS, SAE_FIELDS, SAE_VALUES } from './sae.form.ts';

const noticeFor = notices({
  recorded: 'Serious adverse event recorded. Its report to the sponsor is due by the time below.',
  reported: 'Report to the sponsor recorded. The clock has stopped.',
});

const HOUR = 3_600_000;

/** An event as the pages show it: its kind's words and where its clock stands. */
function eventView(saes: SaeService, event: SaeEvent, now: Date) {
  const left = event.reportBy.getTime() - now.getTime();
  const status = event.reportedAt
    ? {
        text: event.reportedAt.getTime() > event.reportBy.getTime() ? 'Reported late' : 'Reported',
        colour: 'green',
      }
    : left <= 0
      ? { text: 'Overdue', colour: 'red' }
      : left <= saes.events.warnHoursBefore * HOUR
        ? { text: 'Due soon', colour: 'orange' }
        : { text: 'To report', colour: 'blue' };
  return {
    ...event,
    kindTitle: saes.events.kinds.find((k) => k.key === event.kind)?.title ?? event.kind,
    relatednessText: RELATEDNESS_WORDS[event.relatedness],
    expectednessText: event.expectedness === 'expected' ? 'Expected' : 'Unexpected',
    alsoToEthics: relatedAndUnexpected(event.relatedness, event.expectedness),
    status,
  };
}

export function registerSaeRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { saes } = services;
  const today = (c: Clock) => ukToday(c.now());

  registerFormPage(app, {
    path: '/trial/screenings/:screeningId/sae',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'screeningId'),
    submissionToken: true,
    values: SAE_VALUES,
    render: async (request, reply, screeningId, { values = {}, errors, status }) => {
      const { randomisation } = await saes.subject(staffContext(request), screeningId);
      return reply.render(
        'trial/sae-form.njk',
        {
          pageTitle: 'Record a serious adverse event',
          contentWidth: 'two-thirds',
          backLinkHref: `/trial/screenings/${screeningId}`,
          screeningId,
          studyId: randomisation.studyId,
          hours: saes.events.reportWithinHours,
          kindItems: saes.events.kinds.map((k) => ({
            value: k.key,
            text: k.title,
            checked: values.kind === k.key,
          })),
          relatednessItems: RELATEDNESS.map((r) => ({
            value: r,
            text: RELATEDNESS_WORDS[r],
            checked: values.relatedness === r,
          })),
          expectednessItems: EXPECTEDNESS.map((e) => ({
            value: e,
            text: e === 'expected' ? 'Expected' : 'Unexpected',
            checked: values.expectedness === e,
          })),
          values,
          ...errorSummary(errors, SAE_FIELDS, SAE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseSaeForm(request.body, today(clock)),
    save: async (screeningId, value, request) => {
      const id = await saes.record(staffContext(request), screeningId, value);
      return `/trial/saes/${id}?done=recorded`;
    },
  });

  app.get('/trial/saes', async (request, reply) => {
    const { events, now, lockedAt } = await saes.list(staffContext(request));
    return reply.render('trial/saes.njk', {
      pageTitle: 'Serious adverse events',
      trialLocked: lockedAt,
      backLinkHref: '/trial',
      hours: saes.events.reportWithinHours,
      events: events.map((e) => eventView(saes, e, now)),
    });
  });

  registerFormPage(app, {
    path: '/trial/saes/:saeId',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'saeId'),
    values: { fields: ['sponsorReference'], maxLength: 100 },
    render: async (request, reply, saeId, { values = {}, errors, status }) => {
      const ctx = staffContext(request);
      const event = await saes.one(ctx, saeId);
      const { lockedAt } = await saes.list(ctx);
      return reply.render(
        'trial/sae.njk',
        {
          pageTitle: `Serious adverse event: ${event.studyId}`,
          contentWidth: 'two-thirds',
          backLinkHref: '/trial/saes',
          successMessage: noticeFor(queryText(request, 'done')),
          event: eventView(saes, event, clock.now()),
          trialLocked: lockedAt,
          values,
          ...errorSummary(errors, ['sponsorReference']),
        },
        status,
      );
    },
    parse: (request) => parseReportedForm(request.body),
    save: async (saeId, value, request) => {
      await saes.markReported(staffContext(request), saeId, value.sponsorReference);
      return `/trial/saes/${saeId}?done=reported`;
    },
  });
}
