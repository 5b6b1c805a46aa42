import { z } from 'zod';
import { DEFAULT_STATUS_REASONS } from '../sessions/status-reasons.ts';
import { DEFAULT_MEDIA_QUOTA } from '../plan/media-quota.ts';
import { DEFAULT_RETENTION } from '../retention/retention-settings.ts';
import { NOTIFY_TEMPLATE_VARIABLES } from './notify-templates.ts';

const flag = z.enum(['on', 'off']);

/** Each environment variable on its own; what must hold between them is checked in checks.ts. */
export const variablesSchema = z.object({
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
  // Run the programme as a randomised trial: screening, consent and the trial's pages (src/trial/).
  TRIAL_MODE: flag.default('off'),
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
  PLAN_REMOVED_MEDIA_DAYS: z.coerce.number().int().min(1).max(3650).default(DEFAULT_MEDIA_QUOTA.removedDays),
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
  // Supervision targets (PRODUCT.md section 6): a 1:1 and a group session at least this often.
  SUPERVISION_ONE_TO_ONE_EVERY_DAYS: z.coerce.number().int().min(7).max(180).default(30),
  SUPERVISION_GROUP_EVERY_DAYS: z.coerce.number().int().min(7).max(180).default(14),
  // Hours a request for peer support nobody has taken waits before the asker's supervisors are told.
  // Months an unsuccessful candidate's panel record is kept after the decision, then deleted.
  UNSUCCESSFUL_CANDIDATE_RETENTION_MONTHS: z.coerce.number().int().min(1).max(24).default(6),
  PEER_SUPPORT_UNANSWERED_HOURS_TODAY: z.coerce.number().int().min(1).max(24).default(4),
  PEER_SUPPORT_UNANSWERED_HOURS_THIS_WEEK: z.coerce.number().int().min(1).max(168).default(72),
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
});

export type Variables = z.infer<typeof variablesSchema>;
