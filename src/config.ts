import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_STATUS_REASONS, parseStatusReasons, type StatusReason } from './sessions/status-reasons.ts';
import type { ConcernDeadlineSettings } from './concerns/deadlines.ts';
import { loadPlanTemplates, sectionKeyList } from './plan/plan-template.ts';
import { AUDIT_KEY_HOW_TO, parseAuditKey, type AuditKey } from './audit/audit-key.ts';
import { defaultPoolSize } from './platform/workers/worker-pool.ts';
import { DEFAULT_MEDIA_QUOTA, type MediaQuota } from './plan/media-quota.ts';
import { DEFAULT_RETENTION, type RetentionSettings } from './retention/retention-settings.ts';
import type { DatabaseTimeouts } from './platform/database/database.ts';

const flag = z.enum(['on', 'off']);

/**
 * The GOV.UK Notify template for each message and channel it is sent on. Each template in
 * Notify holds the words; Greenleaf fills in only the personalisation (never clinical words).
 */
export const NOTIFY_TEMPLATES = {
  sign_in_code: ['sms', 'email'],
  session_booked: ['sms', 'email'],
  session_reminder: ['sms', 'email'],
  rearrange_request: ['email'],
  ending_summary: ['email'],
  concern_escalation: ['email'],
  concern_999_unconfirmed: ['email'],
  concern_reply: ['email'],
  lone_working_alert: ['email'],
  message_not_delivered: ['email'],
  staff_account_created: ['email'],
  staff_password_changed: ['email'],
  staff_authenticator_set_up: ['email'],
  staff_set_up_link: ['email'],
} as const;
export type NotificationTemplate = keyof typeof NOTIFY_TEMPLATES;
export type NotifyTemplateIds = Record<NotificationTemplate, Partial<Record<'sms' | 'email', string>>>;

/** NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS and the like, one per template and channel. */
function notifyVariable(template: string, channel: string): string {
  return `NOTIFY_TEMPLATE_${template.toUpperCase()}_${channel.toUpperCase()}`;
}
const NOTIFY_TEMPLATE_VARIABLES = Object.entries(NOTIFY_TEMPLATES).flatMap(([template, channels]) =>
  channels.map((channel) => notifyVariable(template, channel)),
);

/**
 * Every setting the service reads, parsed once at boot. The process refuses to start when
 * any value is wrong, naming each bad variable (STYLE.md habit 6).
 */
const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    // Per app instance. On the 2-core test machine 4 and 10 measured alike (npm run bench).
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // A silent database host must not hold requests: how long to wait for a connection, for one
    // statement, and for a transaction left idle, before the request gets the "unavailable" page.
    DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(5),
    DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    DATA_DIR: z.string().min(1).default('./data'),
    // Off only for throwaway test databases (the browser suite): a commit is acknowledged before
    // it reaches the disk, so a power cut can lose it. Never allowed outside NODE_ENV=test.
    EMBEDDED_DURABILITY: flag.default('on'),
    DEMO_MODE: flag.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    COOKIE_SECURE: flag.default('on'),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(120).default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(12),
    // How long a new account's temporary password, or a set-up link, works if it is not used.
    TEMPORARY_PASSWORD_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    PROGRAMME_WINDOW_MONTHS: z.coerce.number().int().min(1).max(12).default(3),
    PROGRAMME_SESSION_CAP: z.coerce.number().int().min(1).max(50).default(10),
    // The youngest a person may be referred: the programme is for adults.
    MINIMUM_AGE: z.coerce.number().int().min(16).max(25).default(18),
    // Why a session did not go ahead: key=Label;key=Label ("other" with words is always added).
    SESSION_STATUS_REASONS: z.string().default(DEFAULT_STATUS_REASONS),
    // Recovery plan sections switched on or off for this deployment, by key (comma-separated).
    PLAN_SECTIONS_ON: z.string().default(''),
    PLAN_SECTIONS_OFF: z.string().default(''),
    // Drawings, photos and voice notes one person may send a minute (each is decoded and re-encoded).
    PLAN_UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    // What one participant's plan may hold in drawings, photos and voice notes.
    PLAN_MEDIA_MAX_ITEMS: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MEDIA_QUOTA.maxItems),
    PLAN_MEDIA_MAX_MB: z.coerce
      .number()
      .int()
      .min(10)
      .max(10_000)
      .default(DEFAULT_MEDIA_QUOTA.maxBytes / 1024 / 1024),
    // The plan's history period for a removed drawing, photo or voice note: then its bytes are deleted.
    PLAN_REMOVED_MEDIA_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(DEFAULT_MEDIA_QUOTA.removedDays),
    // A plan's PDF stops here with a clear message, so no plan makes a PDF without end.
    PLAN_PDF_MAX_PAGES: z.coerce.number().int().min(10).max(1000).default(100),
    // How long a request waits for its PDF before the "being prepared" page answers it.
    PLAN_PDF_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    // Worker threads for PDFs and uploads (default: one per core), and how many tasks may wait.
    WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
    WORKER_QUEUE_LIMIT: z.coerce.number().int().min(0).max(1000).default(8),
    // What the caseload prompts a worker about (PRODUCT.md section 4).
    PROMPT_FIRST_SESSION_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    PROMPT_NO_CONTACT_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    PROMPT_WINDOW_CLOSING_DAYS: z.coerce.number().int().min(1).max(60).default(14),
    // Target for giving a participant a (new) worker, in working days of England and Wales.
    ALLOCATION_TARGET_WORKING_DAYS: z.coerce.number().int().min(1).max(30).default(5),
    // Sign-in codes one mobile number or email address is sent in 24 hours; more are answered alike and not sent.
    SIGN_IN_CODES_PER_DAY: z.coerce.number().int().min(1).max(50).default(5),
    // Unsuccessful attempts since the participant was last reached before "lost contact".
    CONTACT_ATTEMPTS_BEFORE_LOST: z.coerce.number().int().min(1).max(20).default(3),
    REMINDER_HOURS_BEFORE: z.coerce.number().int().min(1).max(168).default(24),
    REMINDER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
    // Safety concerns: acknowledge-by deadlines and escalation (PRODUCT.md section 5).
    CONCERN_IMMEDIATE_ACK_MINUTES: z.coerce.number().int().min(1).max(120).default(15),
    CONCERN_URGENT_ACK_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
    CONCERN_ROUTINE_ACK_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(3),
    WORKING_DAY_START_HOUR: z.coerce.number().int().min(0).max(23).default(9),
    WORKING_DAY_END_HOUR: z.coerce.number().int().min(1).max(24).default(17),
    CONCERN_ESCALATION_STEP_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
    // Immediate danger: minutes without "I have called 999" before the duty contact and supervisors are told.
    CONCERN_CALL_999_CONFIRM_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    // Lone working: minutes after the expected end before the supervisors, then the coordinators, are alerted.
    LONE_WORKING_GRACE_MINUTES: z.coerce.number().int().min(1).max(240).default(15),
    LONE_WORKING_ESCALATION_MINUTES: z.coerce.number().int().min(1).max(240).default(30),
    NOTIFY_API_KEY: z.string().min(10).optional(),
    // The audit log's signing key (never stored in the database) and its checkpoints outside it.
    AUDIT_KEY: z.string().optional(),
    AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(60).default(5),
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    // How long working data is kept before the nightly retention job deletes it (src/retention/).
    NOTIFICATION_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(DEFAULT_RETENTION.notificationDays),
    SIGN_IN_RECORD_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(DEFAULT_RETENTION.signInRecordDays),
    FINISHED_JOB_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(DEFAULT_RETENTION.finishedJobDays),
    ...Object.fromEntries(NOTIFY_TEMPLATE_VARIABLES.map((name) => [name, z.uuid().optional()])),
    SEED_DEMO_DATA: flag.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      if (env.DEMO_MODE === 'on') {
        ctx.addIssue({
          code: 'custom',
          path: ['DEMO_MODE'],
          message: 'demo mode is never allowed in production',
        });
      }
      if (!env.DATABASE_URL) {
        ctx.addIssue({
          code: 'custom',
          path: ['DATABASE_URL'],
          message: 'production runs on PostgreSQL: set it',
        });
      }
      if (!env.NOTIFY_API_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['NOTIFY_API_KEY'],
          message: 'production sends through GOV.UK Notify: set it',
        });
      }
      if (!env.AUDIT_KEY) {
        ctx.addIssue({
          code: 'custom',
          path: ['AUDIT_KEY'],
          message: `production signs its audit log with a key from your secret store: set it (${AUDIT_KEY_HOW_TO})`,
        });
      }
      if (env.SEED_DEMO_DATA === 'on') {
        ctx.addIssue({
          code: 'custom',
          path: ['SEED_DEMO_DATA'],
          message: "the demo's made-up accounts are never loaded in production (their password is published)",
        });
      }
      if (env.COOKIE_SECURE === 'off') {
        ctx.addIssue({
          code: 'custom',
          path: ['COOKIE_SECURE'],
          message: 'cookies must be Secure in production',
        });
      }
    }
    if (env.EMBEDDED_DURABILITY === 'off' && env.NODE_ENV !== 'test') {
      ctx.addIssue({
        code: 'custom',
        path: ['EMBEDDED_DURABILITY'],
        message: 'may be off only for throwaway test databases (NODE_ENV=test): it can lose saved work',
      });
    }
    if (env.PUBLIC_URL && !/^https?:\/\//i.test(env.PUBLIC_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'must be the address people open, starting https:// (or http:// on your own computer)',
      });
    }
    if (env.AUDIT_KEY && !parseAuditKey(env.AUDIT_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['AUDIT_KEY'], message: `must be ${AUDIT_KEY_HOW_TO}` });
    }
    if (env.WORKING_DAY_END_HOUR <= env.WORKING_DAY_START_HOUR) {
      ctx.addIssue({
        code: 'custom',
        path: ['WORKING_DAY_END_HOUR'],
        message: 'the working day must end after it starts (WORKING_DAY_START_HOUR)',
      });
    }
    try {
      loadPlanTemplates({
        on: sectionKeyList(env.PLAN_SECTIONS_ON),
        off: sectionKeyList(env.PLAN_SECTIONS_OFF),
      });
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['PLAN_SECTIONS_ON'], message: (error as Error).message });
    }
    const reasons = parseStatusReasons(env.SESSION_STATUS_REASONS);
    if (!reasons.ok) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_STATUS_REASONS'], message: reasons.message });
    }
    if (env.NOTIFY_API_KEY && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'with NOTIFY_API_KEY set, messages link back to the service: set its public address',
      });
    }
    if (env.NOTIFY_API_KEY) {
      for (const name of NOTIFY_TEMPLATE_VARIABLES) {
        if (!(env as Record<string, unknown>)[name]) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'with NOTIFY_API_KEY set, every GOV.UK Notify template id is required',
          });
        }
      }
    }
  });

export interface Config {
  /** Recovery plan sections switched on or off for this deployment. */
  plan: {
    on: string[];
    off: string[];
    uploadsPerMinute: number;
    pdfMaxPages: number;
    pdfWaitMs: number;
    /** What one plan may hold, and how long a removed item is kept before it is deleted. */
    media: MediaQuota;
  };
  /** The worker threads that make PDFs and check uploads off the event loop. */
  workers: { threads: number; queueLimit: number };
  environment: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string | undefined;
  database:
    | { kind: 'postgres'; url: string; poolSize: number; timeouts: DatabaseTimeouts }
    | {
        kind: 'embedded';
        dataDir: string;
        /** false only in tests: commits acknowledged before they reach the disk. */
        durable: boolean;
      };
  demoMode: boolean;
  seedDemoData: boolean;
  logLevel: string;
  secureCookies: boolean;
  /** How many reverse proxies sit in front, whose X-Forwarded-For is believed. */
  trustProxyHops: number;
  /** Staff and participant sign-in sessions (SESSION_* variables): idle and absolute limits. */
  signInSession: { idleMinutes: number; absoluteHours: number };
  /** Hours a temporary password or a set-up link works, unused. */
  accounts: { temporaryPasswordHours: number };
  /** Sign-in codes sent to one mobile number or email address in 24 hours, at most. */
  signInCodesPerDay: number;
  /** The programme's window, its sessions, and the youngest age it takes a referral for. */
  programme: { windowMonths: number; sessionCap: number; minimumAge: number };
  /** Why a session did not go ahead, as offered on the record form ("other" last). */
  sessionStatusReasons: StatusReason[];
  /** Days before the caseload prompts a worker: first session unbooked, no contact, window closing. */
  prompts: { firstSessionDays: number; noContactDays: number; windowClosingDays: number };
  allocationTargetWorkingDays: number;
  contact: { attemptsBeforeLost: number };
  reminders: { hoursBefore: number; maxAttempts: number };
  /** Acknowledge-by deadlines and escalation steps of safety concerns. */
  concerns: ConcernDeadlineSettings;
  /** Minutes after a lone visit's expected end before step 1, then between step 1 and step 2. */
  loneWorking: { graceMinutes: number; escalationMinutes: number };
  notify: { apiKey: string; templates: NotifyTemplateIds } | undefined;
  /**
   * The audit key from AUDIT_KEY (undefined: the embedded database's key file, see
   * resolveAuditKey), how often the chains are checkpointed, and where: a file, or the log.
   */
  audit: { key: AuditKey | undefined; checkpointMinutes: number; checkpointFile: string | undefined };
  /** Days working data is kept before it is deleted (src/retention/retention-settings.ts). */
  retention: RetentionSettings;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Greenleaf cannot start: the configuration is wrong.\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const KNOWN_SETTINGS = Object.keys(configSchema.shape);

/** Prefixes only Greenleaf's settings use: an unknown variable with one is a mistake, not another tool's. */
const SETTING_PREFIXES = [
  'GREENLEAF_',
  'DATABASE_',
  'PLAN_',
  'NOTIFY_TEMPLATE_',
  'NOTIFY_API',
  'AUDIT_',
  'CONCERN_',
  'LONE_WORKING_',
  'PROMPT_',
  'REMINDER_',
  'WORKER_',
  'PROGRAMME_',
  'SIGN_IN_',
  'WORKING_DAY_',
  'TEMPORARY_PASSWORD',
  'DEMO_',
  'SEED_DEMO',
  'COOKIE_',
  'TRUST_PROXY',
  'ALLOCATION_TARGET',
  'CONTACT_ATTEMPTS',
  'SESSION_IDLE',
  'SESSION_ABSOLUTE',
  'SESSION_STATUS',
];

/** Edits (insert, delete, change, swap two neighbours) between two names. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  const at = (i: number, j: number) => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known setting this name is a likely misspelling of, if any. */
function closestSetting(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_SETTINGS) {
    const distance = editDistance(name.toUpperCase(), known);
    if (distance > 0 && distance <= 2 && (!best || distance < best.distance))
      best = { name: known, distance };
  }
  return best?.name;
}

const looksLikeSetting = (name: string) =>
  SETTING_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));

/**
 * Refused: an unknown GREENLEAF_ variable, or one with a setting's prefix a letter or two from
 * a setting's name (DATABASE_POOL_SIZ): the setting meant is silently unset otherwise.
 */
function unknownSettings(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((name) => !KNOWN_SETTINGS.includes(name))
    .filter(
      (name) =>
        // GREENLEAF_E2E_*: the browser tests' own variables, inherited by the server they start.
        (name.toUpperCase().startsWith('GREENLEAF_') && !name.toUpperCase().startsWith('GREENLEAF_E2E_')) ||
        (looksLikeSetting(name) && closestSetting(name) !== undefined),
    )
    .map((name) => {
      const meant = closestSetting(name);
      return `${name}: not a Greenleaf setting${meant ? ` (did you mean ${meant}?)` : ''}; the settings are listed in the README`;
    });
}

/** Warned about: other variables a letter or two from a setting's name, or with a setting's prefix (another program may own them). */
export function configWarnings(env: Record<string, string | undefined>): string[] {
  const refused = new Set(unknownSettings(env).map((problem) => problem.split(':')[0]));
  return Object.keys(env)
    .filter((name) => name.length >= 6 && !KNOWN_SETTINGS.includes(name) && !refused.has(name))
    .flatMap((name) => {
      const meant = closestSetting(name);
      if (meant) return [`${name} is set but is not a Greenleaf setting: did you mean ${meant}?`];
      return looksLikeSetting(name)
        ? [`${name} is set but is not a Greenleaf setting (the settings are listed in the README)`]
        : [];
    });
}

/** Numbers are whole numbers in digits: `0x10`, `1e1`, ` 5` or `10.0` are refused, not read as 16, 10 or 5. */
function numbersNotInDigits(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    const schema = (configSchema.shape as Record<string, z.ZodType | undefined>)[name];
    if (!schema || value === undefined || /^[0-9]+$/.test(value)) continue;
    // A numeric setting is one that reads "1" as the number 1.
    const probe = schema.safeParse('1');
    if (probe.success && typeof probe.data === 'number') {
      problems.push(`${name}: must be a whole number written in digits, such as 30 (not "${value}")`);
    }
  }
  return problems;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as it does to most tools.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  const notDigits = numbersNotInDigits(present);
  const problems = [...unknownSettings(present), ...notDigits];
  if (!parsed.success) {
    // A number not in digits is said once, in our words.
    const named = new Set(notDigits.map((problem) => problem.split(':')[0]));
    problems.push(
      ...parsed.error.issues
        .filter((issue) => !named.has(String(issue.path[0])))
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const demoMode = e.DEMO_MODE ? e.DEMO_MODE === 'on' : embedded && e.NODE_ENV !== 'production';
  return {
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          timeouts: {
            connectSeconds: e.DATABASE_CONNECT_TIMEOUT_SECONDS,
            statementSeconds: e.DATABASE_STATEMENT_TIMEOUT_SECONDS,
            idleInTransactionSeconds: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS,
          },
        }
      : { kind: 'embedded', dataDir: e.DATA_DIR, durable: e.EMBEDDED_DURABILITY === 'on' },
    demoMode,
    seedDemoData: e.SEED_DEMO_DATA ? e.SEED_DEMO_DATA === 'on' : demoMode,
    logLevel: e.LOG_LEVEL,
    secureCookies: e.COOKIE_SECURE === 'on',
    trustProxyHops: e.TRUST_PROXY_HOPS,
    signInSession: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    accounts: { temporaryPasswordHours: e.TEMPORARY_PASSWORD_HOURS },
    signInCodesPerDay: e.SIGN_IN_CODES_PER_DAY,
    programme: {
      windowMonths: e.PROGRAMME_WINDOW_MONTHS,
      sessionCap: e.PROGRAMME_SESSION_CAP,
      minimumAge: e.MINIMUM_AGE,
    },
    plan: {
      on: sectionKeyList(e.PLAN_SECTIONS_ON),
      off: sectionKeyList(e.PLAN_SECTIONS_OFF),
      uploadsPerMinute: e.PLAN_UPLOADS_PER_MINUTE,
      pdfMaxPages: e.PLAN_PDF_MAX_PAGES,
      pdfWaitMs: e.PLAN_PDF_WAIT_MS,
      media: {
        maxItems: e.PLAN_MEDIA_MAX_ITEMS,
        maxBytes: e.PLAN_MEDIA_MAX_MB * 1024 * 1024,
        removedDays: e.PLAN_REMOVED_MEDIA_DAYS,
      },
    },
    workers: { threads: e.WORKER_THREADS ?? defaultPoolSize(), queueLimit: e.WORKER_QUEUE_LIMIT },
    sessionStatusReasons: ((r) => (r.ok ? r.reasons : []))(parseStatusReasons(e.SESSION_STATUS_REASONS)),
    prompts: {
      firstSessionDays: e.PROMPT_FIRST_SESSION_DAYS,
      noContactDays: e.PROMPT_NO_CONTACT_DAYS,
      windowClosingDays: e.PROMPT_WINDOW_CLOSING_DAYS,
    },
    allocationTargetWorkingDays: e.ALLOCATION_TARGET_WORKING_DAYS,
    contact: { attemptsBeforeLost: e.CONTACT_ATTEMPTS_BEFORE_LOST },
    reminders: { hoursBefore: e.REMINDER_HOURS_BEFORE, maxAttempts: e.REMINDER_MAX_ATTEMPTS },
    concerns: {
      immediateAckMinutes: e.CONCERN_IMMEDIATE_ACK_MINUTES,
      urgentAckMinutes: e.CONCERN_URGENT_ACK_MINUTES,
      routineAckWorkingDays: e.CONCERN_ROUTINE_ACK_WORKING_DAYS,
      workingDayStartHour: e.WORKING_DAY_START_HOUR,
      workingDayEndHour: e.WORKING_DAY_END_HOUR,
      escalationStepMinutes: e.CONCERN_ESCALATION_STEP_MINUTES,
      call999ConfirmMinutes: e.CONCERN_CALL_999_CONFIRM_MINUTES,
    },
    loneWorking: {
      graceMinutes: e.LONE_WORKING_GRACE_MINUTES,
      escalationMinutes: e.LONE_WORKING_ESCALATION_MINUTES,
    },
    audit: {
      key: e.AUDIT_KEY ? parseAuditKey(e.AUDIT_KEY) : undefined,
      checkpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
      checkpointFile:
        e.AUDIT_CHECKPOINT_FILE ?? (embedded ? path.join(e.DATA_DIR, 'audit-checkpoints.jsonl') : undefined),
    },
    retention: {
      notificationDays: e.NOTIFICATION_RETENTION_DAYS,
      signInRecordDays: e.SIGN_IN_RECORD_RETENTION_DAYS,
      finishedJobDays: e.FINISHED_JOB_RETENTION_DAYS,
    },
    notify: e.NOTIFY_API_KEY
      ? {
          apiKey: e.NOTIFY_API_KEY,
          templates: Object.fromEntries(
            Object.entries(NOTIFY_TEMPLATES).map(([template, channels]) => [
              template,
              Object.fromEntries(
                channels.map((channel) => [
                  channel,
                  (e as Record<string, unknown>)[notifyVariable(template, channel)] as string,
                ]),
              ),
            ]),
          ) as NotifyTemplateIds,
        }
      : undefined,
  };
}
