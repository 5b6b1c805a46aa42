import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { bodyRecord, notices, queryText, submitForm } from '../platform/http/form-page.ts';
import { errorList, parseForm } from '../platform/http/forms.ts';
import { participantContext, safeReturnPath, seeOther } from '../platform/http/request-context.ts';
import { parseContact } from './sign-in-code-rules.ts';
import { waitMessage } from './throttle.ts';

const CONTACT_MESSAGE =
  'Enter a UK mobile number, like 07700 900 982, or an email address, like name@example.com';
const contactForm = z.object({
  contact: z
    .string({ error: 'Enter your mobile phone number or email address' })
    .trim()
    .min(1, 'Enter your mobile phone number or email address')
    .max(254, CONTACT_MESSAGE),
});
const codeForm = contactForm.extend({
  code: z
    .string({ error: 'Enter the 6-digit code we sent you' })
    .trim()
    .min(1, 'Enter the 6-digit code we sent you')
    .max(20, 'The code is 6 digits'),
});
const RATE = { max: 20, timeWindow: '1 minute' };

/** The banners "My programme" shows after a change, keyed by `?done=`. */
const noticeFor = notices({
  'rearrange-asked': 'We have told your worker. They will get in touch to find a new time.',
  'feedback-declined': 'That is fine. We will not ask you again.',
});

/** Only a participant's own pages are places to return to after signing in. */
function participantReturnPath(value: unknown): string | undefined {
  const path = safeReturnPath(value);
  return path && (path === '/me' || path.startsWith('/me/')) ? path : undefined;
}

export function registerParticipantSignInRoutes(
  app: FastifyInstance,
  { services, clock }: Dependencies,
): void {
  app.get('/participant/sign-in', (request, reply) => {
    const returnTo = participantReturnPath(queryText(request, 'returnTo'));
    if (request.actor?.kind === 'participant') return seeOther(reply, returnTo ?? '/me');
    return reply.render('identity/participant-sign-in.njk', {
      pageTitle: 'Sign in to Greenleaf',
      values: {},
      returnTo,
    });
  });

  app.post('/participant/sign-in', { config: { rateLimit: RATE } }, (request, reply) => {
    const raw = bodyRecord(request);
    const returnTo = participantReturnPath(raw.returnTo);
    return submitForm(reply, parseForm(contactForm, request.body), {
      save: async (value) => {
        const contact = parseContact(value.contact);
        if (!contact) return { errors: { contact: CONTACT_MESSAGE } };
        const outcome = await services.participantSignIn.requestCode(contact, request.ip);
        if (outcome.kind === 'throttled')
          return { errors: { contact: waitMessage(outcome.until, clock.now()) }, status: 429 };
        // Shown whether or not we know this contact, so the page reveals nobody's details.
        return {
          answer: () =>
            reply.render('identity/participant-code.njk', {
              pageTitle: 'Enter the code we sent you',
              contact: value.contact,
              channel: 'mobile' in contact ? 'text message' : 'email',
              returnTo,
            }),
        };
      },
      showAgain: (errors, status) =>
        reply.render(
          'identity/participant-sign-in.njk',
          {
            pageTitle: 'Sign in to Greenleaf',
            returnTo,
            values: { contact: typeof raw.contact === 'string' ? raw.contact.slice(0, 254) : '' },
            errors,
            errorList: errorList(errors, ['contact']),
          },
          status,
        ),
    });
  });

  app.post('/participant/sign-in/code', { config: { rateLimit: RATE } }, (request, reply) => {
    const raw = bodyRecord(request);
    const contactText = typeof raw.contact === 'string' ? raw.contact.slice(0, 254) : '';
    const contact = parseContact(contactText);
    const returnTo = participantReturnPath(raw.returnTo);
    if (!contact) return seeOther(reply, '/participant/sign-in');
    return submitForm(reply, parseForm(codeForm, request.body), {
      save: async (value) => {
        const outcome = await services.participantSignIn.checkCode(contact, value.code, request.ip);
        switch (outcome.kind) {
          case 'throttled':
            return { errors: { code: waitMessage(outcome.until, clock.now()) }, status: 429 };
          case 'failed':
            return {
              errors: { code: 'The code is not right or has expired. Check it, or ask for a new code' },
            };
          case 'shared_contact': {
            // Without saying why: only that this contact cannot be used, and who can help.
            const contactKind = 'mobile' in contact ? 'mobile number' : 'email address';
            return {
              answer: () =>
                reply.render(
                  'identity/participant-shared-contact.njk',
                  { pageTitle: `We cannot sign you in with this ${contactKind}`, contactKind },
                  403,
                ),
            };
          }
          case 'signed_in':
            app.sessionCookie.set(reply, outcome.token);
            // Back to where they were (their plan, after a sign-in session ended mid-sentence).
            return returnTo ?? '/me';
        }
      },
      showAgain: (errors, status) =>
        reply.render(
          'identity/participant-code.njk',
          {
            returnTo,
            pageTitle: 'Enter the code we sent you',
            contact: contactText,
            channel: 'email' in contact ? 'email' : 'text message',
            errors,
            errorList: errorList(errors, ['code']),
          },
          status,
        ),
    });
  });

  app.get('/me', async (request, reply) => {
    const ctx = participantContext(request);
    const programme = await services.participants.myProgramme(ctx);
    return reply.render('identity/my-programme.njk', {
      pageTitle: 'My programme',
      programme,
      ended: await services.endingSummaries.myEnding(ctx),
      feedbackOffered: (await services.feedback.state(ctx)) === 'open',
      changeRequested: await services.changeRequests.openSessionIds(ctx),
      successMessage: noticeFor(queryText(request, 'done')),
    });
  });
}
