import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { staffContext } from '../platform/http/request-context.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { NotFoundError, type FieldErrors } from '../platform/errors.ts';
import {
  CANDIDATE_FIELD_ORDER,
  NOTE_MAX,
  noteField,
  parseCandidateForm,
  parseDecisionForm,
  parseScoresForm,
  parseVacancyForm,
  REASONS_MAX,
  scoreField,
  VACANCY_ANCHORS,
  VACANCY_FIELD_ORDER,
} from './appointment.form.ts';

const noticeFor = notices({
  opened: 'Vacancy opened with its panel.',
  added: 'Candidate added.',
  scored: 'Your scores are in. You can now see the panel’s.',
  decided: 'Decision recorded.',
});

const dateParts = (name: string) => ['day', 'month', 'year'].map((part) => `${name}[${part}]`);

export function registerAppointmentRoutes(app: FastifyInstance, { services, clock }: Dependencies): void {
  const { appointments } = services;

  app.get('/appointments', async (request, reply) => {
    const { vacancies, canManage } = await appointments.list(staffContext(request));
    return reply.render('workforce/vacancies.njk', {
      pageTitle: 'Appointments',
      contentWidth: 'two-thirds',
      vacancies,
      canManage,
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/appointments/new',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: {
      fields: [
        'submissionToken',
        'crisisTeamId',
        'title',
        'hoursPerWeek',
        ...dateParts('closingOn'),
        'memberIds',
        'chairId',
      ],
      lists: ['memberIds'],
      maxLength: 200,
    },
    initialValues: () => ({ title: 'Peer support worker' }),
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const { staff, teams } = await appointments.vacancyForm(staffContext(request));
      const members = Array.isArray(values.memberIds) ? values.memberIds : [];
      return reply.render(
        'workforce/vacancy-form.njk',
        {
          pageTitle: 'Open a vacancy',
          contentWidth: 'two-thirds',
          backLinkHref: '/appointments',
          teams: teams.map((t) => ({ value: t.id, text: t.name, checked: values.crisisTeamId === t.id })),
          memberItems: staff.map((s) => ({ value: s.id, text: s.fullName, checked: members.includes(s.id) })),
          chairItems: staff.map((s) => ({ value: s.id, text: s.fullName, checked: values.chairId === s.id })),
          values,
          ...errorSummary(errors, VACANCY_FIELD_ORDER, VACANCY_ANCHORS),
        },
        status,
      );
    },
    parse: (request) => parseVacancyForm(request.body, ukToday(clock.now())),
    save: async (_route, value, request) =>
      `/appointments/${await appointments.createVacancy(staffContext(request), value)}?done=opened`,
  });

  app.get('/appointments/:vacancyId', async (request, reply) => {
    const page = await appointments.vacancyPage(staffContext(request), idParam(request.params, 'vacancyId'));
    return reply.render('workforce/vacancy.njk', {
      pageTitle: page.vacancy.title,
      contentWidth: 'two-thirds',
      backLinkHref: '/appointments',
      ...page,
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });

  registerFormPage(app, {
    path: '/appointments/:vacancyId/candidates/new',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'vacancyId'),
    submissionToken: true,
    values: { fields: ['submissionToken', 'fullName', 'email', 'phone'], maxLength: 300 },
    render: async (request, reply, vacancyId, { values = {}, errors, status }) => {
      const { vacancy, canManage } = await appointments.vacancyPage(staffContext(request), vacancyId);
      if (!canManage) throw new NotFoundError('page');
      return reply.render(
        'workforce/candidate-form.njk',
        {
          pageTitle: 'Add a candidate',
          contentWidth: 'two-thirds',
          backLinkHref: `/appointments/${vacancyId}`,
          vacancy,
          values,
          ...errorSummary(errors, CANDIDATE_FIELD_ORDER),
        },
        status,
      );
    },
    parse: (request) => parseCandidateForm(request.body),
    save: async (vacancyId, value, request) => {
      await appointments.addCandidate(staffContext(request), vacancyId, value);
      return `/appointments/${vacancyId}?done=added`;
    },
  });

  const renderCandidate = async (
    request: FastifyRequest,
    reply: FastifyReply,
    candidateId: string,
    form: {
      values?: Record<string, unknown>;
      errors?: FieldErrors;
      status?: 200 | 400 | 429 | 503;
    } = {},
  ) => {
    const view = await appointments.candidatePage(staffContext(request), candidateId);
    const { criteria, scale } = appointments.criteria;
    const labels = new Map(scale.map((s) => [s.value, s.label]));
    const values = form.values ?? {};
    return reply.render(
      'workforce/candidate.njk',
      {
        pageTitle: view.candidate.fullName,
        contentWidth: 'two-thirds',
        backLinkHref: `/appointments/${view.vacancy.id}`,
        ...view,
        criteria: criteria.map((c) => ({
          ...c,
          scoreName: scoreField(c.key),
          noteName: noteField(c.key),
          choices: scale.map((s) => ({
            value: String(s.value),
            text: s.label,
            checked: values[scoreField(c.key)] === String(s.value),
          })),
          mine: view.mine.find((s) => s.criterionKey === c.key),
          panel: (view.scores ?? [])
            .filter((s) => s.criterionKey === c.key)
            .map((s) => ({ ...s, label: labels.get(s.score) ?? String(s.score) })),
        })),
        labels: Object.fromEntries(labels),
        noteMax: NOTE_MAX,
        reasonsMax: REASONS_MAX,
        values,
        successMessage: noticeFor(queryText(request, 'done')),
        ...errorSummary(
          form.errors,
          [...criteria.map((c) => scoreField(c.key)), 'outcome', 'reasons'],
          Object.fromEntries(criteria.map((c) => [scoreField(c.key), scoreField(c.key)])),
        ),
      },
      form.status ?? 200,
    );
  };

  app.get('/appointments/candidates/:candidateId', (request, reply) =>
    renderCandidate(request, reply, idParam(request.params, 'candidateId')),
  );

  registerFormPage(app, {
    path: '/appointments/candidates/:candidateId/scores',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'candidateId'),
    values: { maxLength: NOTE_MAX + 100 },
    render: (request, reply, candidateId, { values, errors, status }) =>
      renderCandidate(request, reply, candidateId, { values, errors, status }),
    parse: (request) => parseScoresForm(request.body, appointments.criteria),
    save: async (candidateId, value, request) => {
      await appointments.submitScores(staffContext(request), candidateId, value);
      return `/appointments/candidates/${candidateId}?done=scored`;
    },
  });

  registerFormPage(app, {
    path: '/appointments/candidates/:candidateId/decision',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'candidateId'),
    values: { fields: ['outcome', 'reasons'], maxLength: REASONS_MAX + 100 },
    render: (request, reply, candidateId, { values, errors, status }) =>
      renderCandidate(request, reply, candidateId, { values, errors, status }),
    parse: (request) => parseDecisionForm(request.body),
    save: async (candidateId, value, request) => {
      await appointments.decide(staffContext(request), candidateId, value);
      return `/appointments/candidates/${candidateId}?done=decided`;
    },
  });
}
