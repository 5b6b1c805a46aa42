/** The analyst's pseudonymised exports, behind a fresh code from their authenticator app (trial mode only). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Dependencies } from '../composition-root.ts';
import { errorSummary, notices, queryText, registerFormPage } from '../platform/http/form-page.ts';
import { NotFoundError } from '../platform/errors.ts';
import { seeOther, SignInRequiredError, staffContext } from '../platform/http/request-context.ts';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import { DICTIONARY_FILE, EXPORT_WINDOW_MINUTES, SecondFactorRequiredError } from './export.service.ts';
import { DICTIONARY_VERSION } from './export-tables.ts';

const noticeFor = notices({
  verified: `Code accepted. You can download the exports for the next ${String(EXPORT_WINDOW_MINUTES)} minutes.`,
});

const FILE = /^([a-z][a-z_-]{0,40})\.csv$/;

function sessionOf(request: FastifyRequest): string {
  const session = request.signInSession;
  if (!session) throw new SignInRequiredError('staff');
  return session.idHash;
}

export function registerExportRoutes(app: FastifyInstance, { services }: Dependencies): void {
  const { exports } = services;

  registerFormPage(app, {
    path: '/trial/exports',
    signedIn: staffContext,
    route: () => undefined,
    values: { fields: ['code'], maxLength: 20 },
    render: async (request, reply, _route, { errors, status }) => {
      const page = await exports.page(staffContext(request), sessionOf(request));
      return reply.render(
        'trial/exports.njk',
        {
          pageTitle: 'Exports for analysis',
          contentWidth: 'two-thirds',
          successMessage: page.verifiedUntil ? noticeFor(queryText(request, 'done')) : undefined,
          askedAgain: queryText(request, 'again') === '1' && !page.verifiedUntil,
          trialLocked: page.trial.lockedAt,
          hasAuthenticator: page.hasAuthenticator,
          verifiedUntilText: page.verifiedUntil ? formatDateTime(page.verifiedUntil) : null,
          minutes: EXPORT_WINDOW_MINUTES,
          dictionaryVersion: DICTIONARY_VERSION,
          dictionaryHref: `/trial/exports/${DICTIONARY_FILE}.csv`,
          tables: page.tables.map((t) => ({
            title: t.title,
            meaning: t.meaning,
            href: `/trial/exports/${t.key}.csv`,
          })),
          ...errorSummary(errors, ['code']),
        },
        status,
      );
    },
    parse: (request) => {
      const code = (request.body as Record<string, unknown> | undefined)?.code;
      return typeof code === 'string' && /^\s*\d{3}[\s-]?\d{3}\s*$/.test(code)
        ? { ok: true, value: code }
        : { ok: false, errors: { code: 'Enter the 6-digit code from your authenticator app' } };
    },
    save: async (_route, code, request) => {
      const outcome = await exports.verify(staffContext(request), sessionOf(request), code);
      if (outcome.kind === 'verified') return '/trial/exports?done=verified';
      if (outcome.kind === 'throttled')
        return {
          errors: { code: `Too many wrong codes. Try again after ${formatDateTime(outcome.until)}` },
          status: 429,
        };
      return {
        errors: { code: 'That code is not right, or was already used. Enter the code your app shows now' },
      };
    },
  });

  app.get('/trial/exports/:file', async (request, reply) => {
    const { file } = request.params as { file?: unknown };
    const match = typeof file === 'string' ? FILE.exec(file) : null;
    if (!match?.[1]) throw new NotFoundError('export');
    try {
      const found = await exports.download(staffContext(request), sessionOf(request), match[1]);
      if (!found) throw new NotFoundError('export');
      return await reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${found.filename}"`)
        .header('cache-control', 'no-store')
        .send(found.csv);
    } catch (error) {
      // Without a fresh code, the page asks for one again.
      if (error instanceof SecondFactorRequiredError) return seeOther(reply, '/trial/exports?again=1');
      throw error;
    }
  });
}
