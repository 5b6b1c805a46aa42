/** Acute-care episodes (trial mode only): find a study id, the participant's episodes, record and correct one. Never the arm. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { asRecord, errorSummary, notices, queryText, registerFormPage, type FormValues } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AcuteEpisodeService, EpisodesPage } from './acute-episode.service.ts';
import {
  EPISODE_ANCHORS,
  EPISODE_FIELDS,
  EPISODE_VALUES,
  episodeValues,
  parseChangedEpisodeForm,
  parseFindForm,
  parseNewEpisodeForm,
  STUDY_ID,
} from './acute-episode.form.ts';

const noticeFor = notices({
  recorded: 'Acute-care episode recorded.',
  changed: 'Acute-care episode corrected.',
});

function studyIdParam(request: FastifyRequest): string {
  const value = asRecord(request.params).studyId;
  if (typeof value !== 'string' || !STUDY_ID.test(value)) throw new NotFoundError('page');
  return value;
}

const titleOf = (list: readonly { key: string; title: string }[], key: string) =>
  list.find((x) => x.key === key)?.title ?? key;

function episodeView(service: AcuteEpisodeService, e: EpisodesPage['episodes'][number]) {
  return {
    ...e,
    kindTitle: titleOf(service.definitions.kinds, e.kind),
    sourceTitle: titleOf(service.definitions.sources, e.source),
  };
}

/** The episode form's view: the kinds and sources as radios, checked as in `values`. */
function formView(service: AcuteEpisodeService, values: FormValues) {
  return {
    kindItems: service.definitions.kinds.map((k) => ({ value: k.key, text: k.title, checked: values.kind === k.key })),
    sourceItems: service.definitions.sources.map((s) => ({ value: s.key, text: s.title, checked: values.source === s.key })),
  };
}

export function registerEpisodeRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { acuteEpisodes } = services;
  const today = () => ukToday(clock.now());

  registerFormPage(app, {
    path: '/trial/episodes',
    signedIn: staffContext,
    route: () => undefined,
    values: { fields: ['studyId'], maxLength: 60 },
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      await acuteEpisodes.open(staffContext(request));
      return reply.render(
        'trial/episodes-find.njk',
        { pageTitle: 'Acute-care episodes', contentWidth: 'two-thirds', values, ...errorSummary(errors, ['studyId']) },
        status,
      );
    },
    parse: (request) => parseFindForm(request.body),
    save: async (_route, { studyId }, request) => {
      const found = await acuteEpisodes.find(staffContext(request), studyId);
      if (!found) return { errors: { studyId: 'No randomised participant of the trial has that study id' } };
      return `/trial/episodes/${found.subject.studyId}`;
    },
  });

  app.get('/trial/episodes/:studyId', async (request, reply) => {
    const page = await acuteEpisodes.page(staffContext(request), studyIdParam(request));
    return reply.render('trial/episodes.njk', {
      pageTitle: `Acute-care episodes: ${page.subject.studyId}`,
      backLinkHref: '/trial/episodes',
      successMessage: noticeFor(queryText(request, 'done')),
      studyId: page.subject.studyId,
      randomisedOn: page.randomisedOn,
      excluded: page.excluded,
      locked: page.trial.lockedAt !== null,
      mayRecord: page.mayRecord,
      episodes: page.episodes.map((e) => episodeView(acuteEpisodes, e)),
    });
  });

  registerFormPage(app, {
    path: '/trial/episodes/:studyId/new',
    signedIn: staffContext,
    route: studyIdParam,
    submissionToken: true,
    values: EPISODE_VALUES,
    render: async (request, reply, studyId, { values = {}, errors, status }) => {
      const page = await acuteEpisodes.page(staffContext(request), studyId);
      if (!page.mayRecord) throw new NotFoundError('page');
      return reply.render(
        'trial/episode-form.njk',
        {
          pageTitle: 'Record an acute-care episode',
          contentWidth: 'two-thirds',
          backLinkHref: `/trial/episodes/${studyId}`,
          action: `/trial/episodes/${studyId}/new`,
          buttonText: 'Record it',
          studyId,
          randomisedOn: page.randomisedOn,
          values,
          ...formView(acuteEpisodes, values),
          ...errorSummary(errors, EPISODE_FIELDS, EPISODE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseNewEpisodeForm(request.body, today()),
    save: async (studyId, value, request) => {
      await acuteEpisodes.record(staffContext(request), studyId, value);
      return `/trial/episodes/${studyId}?done=recorded`;
    },
  });

  registerFormPage(app, {
    path: '/trial/episodes/:studyId/:episodeId',
    signedIn: staffContext,
    route: (request) => ({ studyId: studyIdParam(request), episodeId: idParam(request.params, 'episodeId') }),
    values: EPISODE_VALUES,
    render: async (request, reply, { studyId, episodeId }, { values, errors, status }) => {
      const page = await acuteEpisodes.episode(staffContext(request), studyId, episodeId);
      const shown = values ?? episodeValues(page.episode);
      return reply.render(
        'trial/episode-form.njk',
        {
          pageTitle: 'Correct an acute-care episode',
          contentWidth: 'two-thirds',
          backLinkHref: `/trial/episodes/${studyId}`,
          action: `/trial/episodes/${studyId}/${episodeId}`,
          buttonText: 'Save the correction',
          studyId,
          randomisedOn: page.randomisedOn,
          values: shown,
          ...formView(acuteEpisodes, shown),
          ...errorSummary(errors, EPISODE_FIELDS, EPISODE_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseChangedEpisodeForm(request.body, today()),
    save: async ({ studyId, episodeId }, { version, ...change }, request) => {
      await acuteEpisodes.change(staffContext(request), studyId, episodeId, version, change);
      return `/trial/episodes/${studyId}?done=changed`;
    },
  });
}
