import path from 'node:path';
import { parseStatusReasons } from '../sessions/status-reasons.ts';
import { sectionKeyList } from '../plan/plan-template.ts';
import { parseAuditKey } from '../audit/audit-key.ts';
import { defaultPoolSize } from '../platform/workers/worker-pool.ts';
import { ConfigError, type Config } from './config.types.ts';
import { NOTIFY_TEMPLATES, notifyVariable, type NotifyTemplateIds } from './notify-templates.ts';
import { configSchema } from './schema.ts';
import { numbersNotInDigits, unknownSettings } from './unknown-settings.ts';

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
    trialMode: e.TRIAL_MODE === 'on',
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
    appointments: { unsuccessfulRetentionMonths: e.UNSUCCESSFUL_CANDIDATE_RETENTION_MONTHS },
    peerSupport: {
      unansweredHours: {
        today: e.PEER_SUPPORT_UNANSWERED_HOURS_TODAY,
        this_week: e.PEER_SUPPORT_UNANSWERED_HOURS_THIS_WEEK,
      },
    },
    supervision: {
      oneToOneEveryDays: e.SUPERVISION_ONE_TO_ONE_EVERY_DAYS,
      groupEveryDays: e.SUPERVISION_GROUP_EVERY_DAYS,
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
