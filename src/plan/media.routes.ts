/**
 * Adding a drawing, photo or voice note to a recovery plan section, and serving one back.
 *
 * Uploads are multipart forms: the photo form works without JavaScript; the drawing and voice
 * scripts post the same form with `Accept: application/json`. Multipart parsing lives in this
 * plugin's own scope, with tight limits, and only for someone signed in as the right audience,
 * so nobody else can make the server read a 10 MB body. The file goes to the service as it was
 * sent: `PlanWritingService.addMedia` checks and cleans it (type from its bytes, size and pixel
 * limits, re-encoded without metadata) on a worker thread before storing it under a
 * server-chosen id, so no caller can store a file that was not cleaned.
 *
 * Served media is never active content: the stored (server-decided) type, nosniff, a sandboxing
 * CSP that allows nothing, a server-chosen file name (voice notes as downloads), and no caching.
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from '../composition-root.ts';
import { ForbiddenError, type FieldErrors } from '../platform/errors.ts';
import { bodyRecord, submitForm, type Parsed } from '../platform/http/form-page.ts';
import { idParam } from '../platform/http/params.ts';
import { SignInRequiredError } from '../platform/http/request-context.ts';
import { WorkersBusyError } from '../platform/workers/worker-pool.ts';
import { extensionFor, MEDIA_LIMITS } from './media-processing.ts';
import { MEDIA_KINDS } from './plan-entry.ts';
import { PLAN_PREFIXES, sectionParam, type PlanAudience } from './plan.routes.ts';
import type { PlanWritingService } from './plan-writing.service.ts';
import { wantsJson } from '../platform/http/wants-json.ts';

/** Where each error in the summary takes the person: the photo form's fields. */
const FIELD_ANCHORS = { file: 'media-photo-file', description: 'media-photo-description' } as const;

const MESSAGES = {
  chooseFile: 'Choose a photo to add',
  tooLarge: 'The file must be smaller than 10 MB',
  badForm: 'The file could not be added. Try again',
  busy: 'A lot of files are being added at the moment, so this one was not. Try again in a minute',
} as const;

const noNul = (value: string) => !value.includes('\u0000');

/** The form's fields (multipart values arrive as strings, a repeated field as an array). */
const mediaForm = z.object({
  kind: z.enum(MEDIA_KINDS, { error: 'Choose a photo to add' }),
  entryId: z.uuid({ error: MESSAGES.badForm }),
  saveId: z.uuid({ error: MESSAGES.badForm }),
  // Its length is the service's to check (mediaContent); NUL cannot be stored at all.
  description: z
    .string({ error: 'Write the words in the box' })
    .refine(noNul, 'Remove any unusual characters')
    .optional()
    .transform((v) => v ?? ''),
  file: z.instanceof(Buffer, { error: MESSAGES.chooseFile }).optional(),
});

type MediaUpload = Parameters<PlanWritingService['addMedia']>[3];

/** The posted upload, or the messages to show beside its two boxes. */
function parseMediaForm(body: Record<string, unknown>): Parsed<MediaUpload> {
  const form = mediaForm.safeParse(body);
  if (!form.success) {
    const errors: FieldErrors = {};
    for (const issue of form.error.issues) {
      const field = issue.path[0] === 'description' ? 'description' : 'file';
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const { kind, entryId, saveId, description, file } = form.data;
  if (!file || file.length === 0)
    return { ok: false, errors: { file: kind === 'photo' ? MESSAGES.chooseFile : MESSAGES.badForm } };
  return { ok: true, value: { entryId, saveId, description, kind, bytes: file } };
}

/**
 * Messages placed on the photo form's two boxes: the description's beside it, any other (the
 * file's, or the service's about the entry) beside the file.
 */
function fileOrDescription(errors: FieldErrors): FieldErrors {
  const placed: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    if (field === 'description') placed.description ??= message;
    else placed.file ??= message;
  }
  return placed;
}

interface Failure {
  status: number;
  errors: FieldErrors;
  description: string;
}

/** Errors from reading the multipart body itself, as a status and a message for the person. */
function uploadFailure(error: unknown): { status: number; message: string } | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return { status: 413, message: MESSAGES.tooLarge };
  if (code === 'FST_FILES_LIMIT') return { status: 413, message: 'Add one file at a time' };
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
    return { status: 413, message: MESSAGES.badForm };
  return undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set once the upload has been read and checked: errors before that are bad requests. */
    mediaBodyRead?: boolean;
  }
}

/**
 * Each upload is decoded and re-encoded: a limit per signed-in person (by default 30 a minute,
 * far more than anyone adds photos) keeps one account from keeping the server busy with images.
 * Counted before the body is read, by the person when signed in, else by address.
 */
const uploadRate = (perMinute: number) => ({
  max: perMinute,
  timeWindow: '1 minute',
  keyGenerator: (request: FastifyRequest) => request.actor?.id ?? request.ip,
});

export function registerPlanMediaRoutes(app: FastifyInstance, { services, config }: Dependencies): void {
  const { planReading, planWriting } = services;
  const UPLOAD_RATE = uploadRate(config.plan.uploadsPerMinute);

  const errorPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    audience: PlanAudience,
    sectionKey: string,
    failure: Failure,
  ) => {
    if (wantsJson(request))
      return reply.code(failure.status).send({ status: 'invalid', errors: failure.errors });
    const page = await planReading.section(audience.ctx, audience.participantId, sectionKey);
    if (!page.canWrite) throw new ForbiddenError();
    return reply.render(
      'plan/media-error.njk',
      {
        pageTitle: `Add a photo: ${page.section.title}`,
        backLinkHref: `${audience.base}/${sectionKey}#media`,
        base: audience.base,
        section: page.section,
        canWrite: page.canWrite,
        media: [],
        newEntryId: page.newMediaEntryId,
        newSaveId: page.newMediaSaveId,
        mediaPhotoOnly: true,
        mediaErrors: failure.errors,
        mediaValues: { description: failure.description },
        errorList: (['file', 'description'] as const).flatMap((field) => {
          const text = failure.errors[field];
          return text ? [{ text, href: `#${FIELD_ANCHORS[field]}` }] : [];
        }),
      },
      failure.status,
    );
  };

  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      // Fields as plain strings and the one file as a Buffer on request.body, so the app's CSRF
      // check (preHandler) reads `_csrf` from a no-JavaScript form like any other.
      attachFieldsToBody: 'keyValues',
      limits: {
        fileSize: MEDIA_LIMITS.photoBytes,
        files: 1,
        fields: 10,
        parts: 12,
        // A description is at most 1,000 characters (4,000 bytes); anything longer is refused.
        fieldSize: 16 * 1024,
        headerPairs: 20,
      },
    });

    // Before the body is read: only the audience the URL is for may send one.
    scope.addHook('onRequest', async (request) => {
      if (request.method !== 'POST') return;
      audienceFor(request);
      sectionParam(request.params);
    });
    scope.addHook('preHandler', async (request) => {
      request.mediaBodyRead = true;
    });
    // The app marks every response no-store; media is also private to this person.
    scope.addHook('onSend', async (request, reply, payload) => {
      if (request.method === 'GET') reply.header('cache-control', 'private, no-store');
      return payload;
    });

    scope.setErrorHandler(async (error, request, reply) => {
      const failure = uploadFailure(error);
      // A broken multipart body (cut short, no boundary…) fails inside the parser with no status.
      const unreadable =
        !failure &&
        request.method === 'POST' &&
        !request.mediaBodyRead &&
        (error as { statusCode?: unknown }).statusCode === undefined &&
        !(error instanceof SignInRequiredError);
      if (failure || unreadable) {
        const audience = audienceFor(request);
        return errorPage(request, reply, audience, sectionParam(request.params), {
          status: failure?.status ?? 400,
          errors: { file: failure?.message ?? MESSAGES.badForm },
          description: '',
        });
      }
      // Everything else (signed out, expired form, not found…) as the app answers it.
      throw error;
    });

    for (const { prefix } of PLAN_PREFIXES) {
      scope.post(
        `${prefix}/:sectionKey/media`,
        { config: { rateLimit: UPLOAD_RATE } },
        async (request, reply) => {
          const audience = audienceFor(request);
          const sectionKey = sectionParam(request.params);
          const body = bodyRecord(request);
          const description = typeof body.description === 'string' ? body.description : '';
          return submitForm(reply, parseMediaForm(body), {
            save: async (upload) => {
              // The service checks and cleans the file on a worker thread; a full queue is
              // refused at once, not waited on.
              let result;
              try {
                result = await planWriting.addMedia(audience.ctx, audience.participantId, sectionKey, upload);
              } catch (error) {
                if (!(error instanceof WorkersBusyError)) throw error;
                reply.header('retry-after', '60');
                return { errors: { file: MESSAGES.busy }, status: 503 };
              }
              if (wantsJson(request))
                return { answer: () => reply.code(result.status === 'saved' ? 200 : 409).send(result) };
              return `${audience.base}/${sectionKey}?saved=${result.entryId}#entry-${result.entryId}`;
            },
            showAgain: (errors, status) =>
              errorPage(request, reply, audience, sectionKey, {
                status,
                errors: fileOrDescription(errors),
                description,
              }),
          });
        },
      );

      scope.get(`${prefix}/media/:mediaId`, async (request, reply) => {
        const audience = audienceFor(request);
        const mediaId = idParam(request.params, 'mediaId');
        const media = await planReading.media(audience.ctx, audience.participantId, mediaId);
        reply
          .header('content-type', media.contentType)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          // Pictures are shown in the page (an <img> ignores this); a voice note opened on its
          // own is a download, never a page. <audio> plays it either way.
          .header(
            'content-disposition',
            `${media.kind === 'voice' ? 'attachment' : 'inline'}; filename="${media.kind}.${extensionFor(media.contentType)}"`,
          )
          .header('accept-ranges', 'bytes');
        // Safari plays audio only from a server that answers byte ranges.
        const range = byteRange(request.headers.range, media.bytes.length);
        if (range === 'unsatisfiable') {
          return reply
            .code(416)
            .header('content-range', `bytes */${String(media.bytes.length)}`)
            .send();
        }
        if (range) {
          return reply
            .code(206)
            .header(
              'content-range',
              `bytes ${String(range.start)}-${String(range.end)}/${String(media.bytes.length)}`,
            )
            .send(media.bytes.subarray(range.start, range.end + 1));
        }
        return reply.send(media.bytes);
      });
    }
  });
}

/** The audience of a plan URL: the participant at /me/plan, staff at /participants/:id/plan. */
function audienceFor(request: FastifyRequest): PlanAudience {
  const [participant, staff] = PLAN_PREFIXES;
  return request.url.startsWith('/me/') ? participant.audienceOf(request) : staff.audienceOf(request);
}

/** One `bytes=a-b` range (what media players send); anything else is the whole file. */
export function byteRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [from, to] = [match[1] ?? '', match[2] ?? ''];
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
