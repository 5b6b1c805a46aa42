import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import {
  bodyRecord,
  errorSummary,
  notices,
  queryText,
  registerFormPage,
} from '../platform/http/form-page.ts';
import { optionalText, parseForm, submissionToken, text } from '../platform/http/forms.ts';
import { idParam } from '../platform/http/params.ts';
import { seeOther, staffContext } from '../platform/http/request-context.ts';
import {
  NEEDED_BY,
  PEER_SUPPORT_TOPICS,
  topicWords,
  type PeerRequest,
  type PeerSupportTopic,
} from './peer-support.service.ts';

export const MESSAGE_MAX = 2000;

const noticeFor = notices({
  asked: 'Sent to the experienced peer workers. One of them will take it and get in touch.',
  taken: 'You have taken it. Say hello in the thread, or get in touch as you agreed.',
  'already-taken': 'Someone else has already taken this one.',
  sent: 'Message sent.',
  closed: 'Closed. Thank you.',
  experienced: 'Saved.',
});

const askForm = z
  .object({
    submissionToken,
    topic: z.enum(Object.keys(PEER_SUPPORT_TOPICS) as [PeerSupportTopic, ...PeerSupportTopic[]], {
      error: 'Select what you would like support with',
    }),
    topicText: optionalText(200, 'What you would like support with must be 200 characters or fewer'),
    neededBy: z.enum(['today', 'this_week'], { error: 'Select when you would like support' }),
  })
  .refine((form) => form.topic !== 'other' || form.topicText !== null, {
    path: ['topicText'],
    message: 'Say what you would like support with',
  });

const messageForm = z.object({
  submissionToken,
  body: text(
    'Enter your message',
    MESSAGE_MAX,
    `Your message must be ${String(MESSAGE_MAX)} characters or fewer`,
  ),
});

const view = (request: PeerRequest) => ({
  ...request,
  topicWords: topicWords(request),
  neededByWords: NEEDED_BY[request.neededBy],
});

export function registerPeerSupportRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { peerSupport } = services;

  registerFormPage(app, {
    path: '/peer-support',
    signedIn: staffContext,
    route: () => undefined,
    submissionToken: true,
    values: { fields: ['submissionToken', 'topic', 'topicText', 'neededBy'], maxLength: 300 },
    render: async (request, reply, _route, { values = {}, errors, status }) => {
      const page = await peerSupport.page(staffContext(request));
      return reply.render(
        'workforce/peer-support.njk',
        {
          pageTitle: 'Peer support',
          contentWidth: 'two-thirds',
          ...page,
          mine: page.mine.map(view),
          toTake: page.toTake.map(view),
          helping: page.helping.map(view),
          supervisees: page.supervisees.map(view),
          topics: Object.entries(PEER_SUPPORT_TOPICS).map(([value, label]) => ({
            value,
            text: label,
            checked: values.topic === value,
          })),
          whens: Object.entries(NEEDED_BY).map(([value, label]) => ({
            value,
            text: label,
            checked: values.neededBy === value,
          })),
          values,
          successMessage: noticeFor(queryText(request, 'done')),
          ...errorSummary(errors, ['topic', 'topicText', 'neededBy'], {
            topic: 'topic',
            neededBy: 'neededBy',
          }),
        },
        status,
      );
    },
    parse: (request) => parseForm(askForm, request.body),
    save: async (_route, value, request) => {
      const id = await peerSupport.ask(staffContext(request), value);
      return `/peer-support/${id}?done=asked`;
    },
  });

  registerFormPage(app, {
    path: '/peer-support/:requestId',
    signedIn: staffContext,
    route: (request) => idParam(request.params, 'requestId'),
    submissionToken: true,
    values: { fields: ['submissionToken', 'body'], maxLength: MESSAGE_MAX + 100 },
    render: async (request, reply, requestId, { values = {}, errors, status }) => {
      const thread = await peerSupport.thread(staffContext(request), requestId);
      return reply.render(
        'workforce/peer-support-thread.njk',
        {
          pageTitle: 'Request for peer support',
          contentWidth: 'two-thirds',
          backLinkHref: '/peer-support',
          ...thread,
          request: view(thread.request),
          messageMax: MESSAGE_MAX,
          values,
          successMessage: noticeFor(queryText(request, 'done')),
          ...errorSummary(errors, ['body']),
        },
        status,
      );
    },
    parse: (request) => parseForm(messageForm, request.body),
    save: async (requestId, value, request) => {
      await peerSupport.message(staffContext(request), requestId, value.body, value.submissionToken);
      return `/peer-support/${requestId}?done=sent`;
    },
  });

  app.post('/peer-support/:requestId/take', async (request, reply) => {
    const requestId = idParam(request.params, 'requestId');
    const taken = await peerSupport.take(staffContext(request), requestId);
    return seeOther(reply, `/peer-support/${requestId}?done=${taken ? 'taken' : 'already-taken'}`);
  });

  app.post('/peer-support/:requestId/close', async (request, reply) => {
    const requestId = idParam(request.params, 'requestId');
    await peerSupport.close(staffContext(request), requestId);
    return seeOther(reply, `/peer-support/${requestId}?done=closed`);
  });

  /** The coordinator marks a worker as an experienced peer worker (from the worker's record). */
  app.post('/training/workers/:staffId/experienced', async (request, reply) => {
    const staffId = idParam(request.params, 'staffId');
    const experienced = bodyRecord(request).experienced === 'yes';
    await peerSupport.markExperienced(staffContext(request), staffId, experienced);
    return seeOther(reply, `/training/workers/${staffId}?done=experienced`);
  });
}
