/** The settings as the rest of the service reads them, and the error that stops the start. */
import type { StatusReason } from '../sessions/status-reasons.ts';
import type { ConcernDeadlineSettings } from '../concerns/deadlines.ts';
import type { AuditKey } from '../audit/audit-key.ts';
import type { MediaQuota } from '../plan/media-quota.ts';
import type { RetentionSettings } from '../retention/retention-settings.ts';
import type { DatabaseTimeouts } from '../platform/database/database.ts';
import type { NotifyTemplateIds } from './notify-templates.ts';

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
  /** The programme runs as a randomised trial (TRIAL_MODE): the trial's pages exist. */
  trialMode: boolean;
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
  /** How often each worker should have 1:1 and group supervision, unless their own targets are set. */
  supervision: { oneToOneEveryDays: number; groupEveryDays: number };
  /** Hours a request for peer support nobody took waits before the asker's supervisors are told. */
  peerSupport: { unansweredHours: { today: number; this_week: number } };
  /** Months an unsuccessful candidate's panel record is kept after the decision. */
  appointments: { unsuccessfulRetentionMonths: number };
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
