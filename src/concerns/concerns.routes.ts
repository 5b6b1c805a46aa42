import { randomUUID } from 'node:crypto';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import { failureWords, messageKindWords } from '../messages/undelivered-words.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { NotFoundError, type FieldErrors } from '../platform/errors.ts';
import {
  asRecord,
  errorSummary,
  formStatus,
  formValues,
  notices,
  queryText,
  registerFormPage,
  submitForm,
  type FormValues,
} from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import {
  ACTION_LABELS,
  CLOSE_FIELD_ORDER,
  CONCERN_ACTIONS,
  MESSAGE_FIELD_ORDER,
  PARTICIPANT_KNOWS_LABELS,
  parseAcknowledgeForm,
  parseCloseForm,
  parseKind,
  parseMessageForm,
  parseRaiseForm,
  RAISE_ANCHORS,
  RAISE_FIELD_ORDER,
  STATUS_TAGS,
  URGENCY_LABELS,
  URGENCY_TAGS,
  VALUES,
  type ConcernKind,
} from './concern.form.ts';

const noticeFor = notices({
  raised: 'Concern sent to the crisis team’s duty inbox.',
  called999: 'Recorded that you called 999. The concern is in the crisis team’s duty inbox.',
  asked: 'Question sent to the crisis team’s duty inbox.',
  acknowledged: 'Acknowledged. The worker can see that you have it.',
  closed: 'What was done is recorded and the concern is closed.',
  message: 'Message added.',
});

const uuid = z.uuid();

function raiseQuery(request: FastifyRequest): { kind: ConcernKind; sessionId: string | undefined } {
  const q = asRecord(request.query);
  const kind = q.kind === undefined ? 'concern' : parseKind(q.kind);
  if (!kind) throw new NotFoundError('page');
  const session = uuid.safeParse(q.session);
  return { kind, sessionId: session.success ? session.data : undefined };
}

export function registerConcernRoutes(app: FastifyInstance, { services }: Dependencies): void {
  registerFormPage(app, {
    path: '/participants/:participantId/concerns/new',
    signedIn: staffContext,
    route: (request) => ({ participantId: idParam(request.params, 'participantId'), ...raiseQuery(request) }),
    submissionToken: true,
    values: VALUES,
    render: async (request, reply, { participantId, kind, sessionId }, { values, errors, status }) => {
      const page = await services.concernRaising.raisePage(staffContext(request), participantId, sessionId);
      return reply.render(
        'concerns/new.njk',
        {
          pageTitle: kind === 'concern' ? 'Raise a safety concern' : 'Ask the crisis team for advice',
          contentWidth: 'two-thirds',
          backLinkHref: `/participants/${participantId}`,
          kind,
          name: page.name,
          participant: page.participant,
          safetyOverride: page.safetyOverride,
          nextSupervisionOn: page.nextSupervisionOn,
          action: `/participants/${participantId}/concerns/new?kind=${kind}${page.sessionId ? `&session=${page.sessionId}` : ''}`,
          urgencies: URGENCY_LABELS,
          knows: PARTICIPANT_KNOWS_LABELS,
          values,
          ...errorSummary(errors, RAISE_FIELD_ORDER, RAISE_ANCHORS),
        },
        status,
      );
    },
    parse: (request, { kind }) => parseRaiseForm(request.body, kind),
    save: async ({ participantId, kind, sessionId }, value, request) => {
      const raised = await services.concernRaising.raise(
        staffContext(request),
        participantId,
        value,
        sessionId,
      );
      // Immediate danger is already with the crisis team: now the call.
      if (raised.awaiting999) return `/concerns/${raised.concernId}/call-999`;
      return `/concerns/${raised.concernId}?done=${kind === 'concern' ? 'raised' : 'asked'}`;
    },
  });

  app.get('/concerns/:concernId/call-999', async (request, reply) => {
    const page = await services.concernRaising.call999Page(
      staffContext(request),
      idParam(request.params, 'concernId'),
    );
    return reply.render('concerns/call-999.njk', {
      pageTitle: 'Call 999 now',
      contentWidth: 'two-thirds',
      name: page.name,
      concern: page.concern,
      confirmed: page.confirmed,
    });
  });

  app.post('/concerns/:concernId/call-999', async (request, reply) => {
    const id = idParam(request.params, 'concernId');
    await services.concernRaising.confirm999(staffContext(request), id);
    return seeOther(reply, `/concerns/${id}?done=called999`);
  });

  app.get('/concerns/inbox', async (request, reply) => {
    const inbox = await services.dutyInbox.inbox(staffContext(request));
    return reply.render('concerns/inbox.njk', {
      pageTitle: 'Duty inbox',
      ...inbox,
      undelivered: inbox.undelivered.map((m) => ({
        when: formatDateTime(m.givenUpAt ?? m.createdAt),
        kind: messageKindWords(m.template, m.channel),
        recipient: m.recipient,
        why: failureWords(m.lastError, m.channel),
      })),
    });
  });

  app.get('/concerns/mine', async (request, reply) => {
    const concerns = await services.workerConcerns.mine(staffContext(request));
    return reply.render('concerns/mine.njk', {
      pageTitle: 'My concerns',
      concerns,
    });
  });

  const renderConcern = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form?: { name: 'close' | 'message'; values: FormValues; errors: FieldErrors },
  ) => {
    const page = await services.concernThread.concernPage(staffContext(request), id);
    const errors = form?.errors;
    const closing = form?.name === 'close';
    return reply.render(
      'concerns/concern.njk',
      {
        pageTitle: page.concern.kind === 'concern' ? 'Safety concern' : 'Advice request',
        contentWidth: 'two-thirds',
        ...page,
        urgencyTag: URGENCY_TAGS[page.concern.urgency],
        statusTag: STATUS_TAGS[page.concern.status],
        knows: page.concern.participantKnows ? PARTICIPANT_KNOWS_LABELS[page.concern.participantKnows] : null,
        actionLabel: page.concern.action ? ACTION_LABELS[page.concern.action] : null,
        actions: CONCERN_ACTIONS.map((value) => ({ value, text: ACTION_LABELS[value] })),
        closeValues: form?.name === 'close' ? form.values : {},
        closeErrors: form?.name === 'close' ? errors : {},
        messageValues: form?.name === 'message' ? form.values : { submissionToken: randomUUID() },
        messageErrors: form?.name === 'message' ? errors : {},
        successMessage: noticeFor(queryText(request, 'done')),
        ...errorSummary(errors, closing ? CLOSE_FIELD_ORDER : MESSAGE_FIELD_ORDER, {
          version: closing ? 'action' : 'body',
        }),
      },
      formStatus(errors),
    );
  };

  app.get('/concerns/:concernId', (request, reply) =>
    renderConcern(request, reply, idParam(request.params, 'concernId')),
  );

  app.post('/concerns/:concernId/acknowledge', async (request, reply) => {
    const ctx = staffContext(request);
    const id = idParam(request.params, 'concernId');
    const form = parseAcknowledgeForm(request.body);
    if (!form.ok) {
      // Nothing to correct on this form: a broken version is a page to reload.
      await services.concernThread.concernPage(ctx, id);
      return reply.render(
        'views/errors/bad-request.njk',
        { pageTitle: 'Sorry, there is a problem with this request' },
        400,
      );
    }
    await services.dutyInbox.acknowledge(ctx, id, form.value.version);
    return seeOther(reply, `/concerns/${id}?done=acknowledged`);
  });

  app.post('/concerns/:concernId/close', (request, reply) => {
    const ctx = staffContext(request);
    const id = idParam(request.params, 'concernId');
    return submitForm(reply, parseCloseForm(request.body), {
      showAgain: (errors) =>
        renderConcern(request, reply, id, {
          name: 'close',
          values: formValues(request.body, VALUES),
          errors,
        }),
      save: async (value) => {
        await services.dutyInbox.close(ctx, id, value);
        return `/concerns/${id}?done=closed`;
      },
    });
  });

  app.post('/concerns/:concernId/messages', (request, reply) => {
    const ctx = staffContext(request);
    const id = idParam(request.params, 'concernId');
    const values = formValues(request.body, VALUES);
    if (typeof values.submissionToken !== 'string') values.submissionToken = randomUUID();
    return submitForm(reply, parseMessageForm(request.body), {
      showAgain: (errors) => renderConcern(request, reply, id, { name: 'message', values, errors }),
      save: async (value) => {
        await services.concernThread.addMessage(ctx, id, value);
        return `/concerns/${id}?done=message#thread`;
      },
    });
  });
}
