import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from './config.ts';

const ALL_TEMPLATES = {
  NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS: '3f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_SIGN_IN_CODE_EMAIL: '4f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_SESSION_BOOKED_SMS: '5f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_SESSION_BOOKED_EMAIL: '6f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_SESSION_REMINDER_SMS: '7f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_SESSION_REMINDER_EMAIL: '8f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_REARRANGE_REQUEST_EMAIL: '9f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_ENDING_SUMMARY_EMAIL: 'af1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_CONCERN_ESCALATION_EMAIL: 'bf1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_CONCERN_999_UNCONFIRMED_EMAIL: 'b01f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_CONCERN_REPLY_EMAIL: 'b11f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_LONE_WORKING_ALERT_EMAIL: 'cf1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_STAFF_ACCOUNT_CREATED_EMAIL: 'df1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_STAFF_PASSWORD_CHANGED_EMAIL: 'ef1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_STAFF_AUTHENTICATOR_SET_UP_EMAIL: '0f2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_STAFF_SET_UP_LINK_EMAIL: '1f2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_TRAINING_EXPIRY_EMAIL: '2a2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_WELLBEING_REQUEST_EMAIL: '3a2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_PEER_SUPPORT_REQUEST_EMAIL: '4a2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_PEER_SUPPORT_UNANSWERED_EMAIL: '5a2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
  NOTIFY_TEMPLATE_TRIAL_SAE_CLOCK_EMAIL: '6b3a8e9f-8b54-4b4f-8a6f-2a3e4d5c6b7a',
  NOTIFY_TEMPLATE_TRIAL_FOLLOW_UP_INVITATION_SMS: '7c4b9f0a-9c65-4c5a-9b7a-3b4f5e6d7c8b',
  NOTIFY_TEMPLATE_TRIAL_FOLLOW_UP_INVITATION_EMAIL: '8d5c0a1b-0d76-4d6b-8c8b-4c5a6f7e8d9c',
  NOTIFY_TEMPLATE_TRIAL_INTERVENTION_WITHDRAWN_EMAIL: '9e6d1b2c-1e87-4e7c-9d9c-5d6b7a8f9e0d',
  NOTIFY_TEMPLATE_MESSAGE_NOT_DELIVERED_EMAIL: '2f2f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69',
};

describe('configuration', () => {
  it('runs on the embedded database with the demo when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'embedded', dataDir: './data', durable: true });
    expect(config.demoMode).toBe(true);
    expect(config.seedDemoData).toBe(true);
    expect(config.signInSession).toEqual({ idleMinutes: 30, absoluteHours: 12 });
    expect(config.programme).toEqual({ windowMonths: 3, sessionCap: 10, minimumAge: 18 });
    expect(config.notify).toBeUndefined();
  });

  it('lets only a test run turn the embedded database’s durable commits off', () => {
    const test = loadConfig({ NODE_ENV: 'test', EMBEDDED_DURABILITY: 'off' });
    expect(test.database).toEqual({ kind: 'embedded', dataDir: './data', durable: false });
    expect(() => loadConfig({ EMBEDDED_DURABILITY: 'off' })).toThrow(/EMBEDDED_DURABILITY/);
    expect(() => loadConfig({ NODE_ENV: 'production', EMBEDDED_DURABILITY: 'off' })).toThrow(
      /EMBEDDED_DURABILITY/,
    );
  });

  it('lets a temporary password or a set-up link work 72 hours unless set, and refuses a nonsense value', () => {
    expect(loadConfig({}).accounts).toEqual({ temporaryPasswordHours: 72 });
    expect(loadConfig({ TEMPORARY_PASSWORD_HOURS: '24' }).accounts).toEqual({ temporaryPasswordHours: 24 });
    for (const value of ['0', '1.5', 'three days', '10000']) {
      expect(() => loadConfig({ TEMPORARY_PASSWORD_HOURS: value })).toThrow(/TEMPORARY_PASSWORD_HOURS/);
    }
  });

  it('takes referrals for adults (18 and over) unless MINIMUM_AGE says otherwise, and refuses a nonsense age', () => {
    expect(loadConfig({}).programme.minimumAge).toBe(18);
    expect(loadConfig({ MINIMUM_AGE: '17' }).programme.minimumAge).toBe(17);
    for (const value of ['0', '15', '17.5', 'adult', '99']) {
      expect(() => loadConfig({ MINIMUM_AGE: value })).toThrow(/MINIMUM_AGE/);
    }
  });

  it('runs the programme as a trial only when TRIAL_MODE is on, and refuses anything but on or off', () => {
    expect(loadConfig({}).trialMode).toBe(false);
    expect(loadConfig({ TRIAL_MODE: 'on' }).trialMode).toBe(true);
    expect(loadConfig({ TRIAL_MODE: 'off' }).trialMode).toBe(false);
    for (const value of ['yes', 'true', '1', 'ON']) {
      expect(() => loadConfig({ TRIAL_MODE: value })).toThrow(/TRIAL_MODE/);
    }
  });

  it('keeps messages 90 days, sign-in records 30 and finished jobs 7 unless set, and refuses a nonsense value', () => {
    expect(loadConfig({}).retention).toEqual({
      notificationDays: 90,
      signInRecordDays: 30,
      finishedJobDays: 7,
    });
    expect(
      loadConfig({
        NOTIFICATION_RETENTION_DAYS: '30',
        SIGN_IN_RECORD_RETENTION_DAYS: '365',
        FINISHED_JOB_RETENTION_DAYS: '2',
      }).retention,
    ).toEqual({ notificationDays: 30, signInRecordDays: 365, finishedJobDays: 2 });
    for (const name of [
      'NOTIFICATION_RETENTION_DAYS',
      'SIGN_IN_RECORD_RETENTION_DAYS',
      'FINISHED_JOB_RETENTION_DAYS',
    ]) {
      for (const value of ['0', '1.5', 'a year', '100000']) {
        expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
      }
    }
  });

  it('turns the demo off by default on PostgreSQL', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.example/greenleaf' });
    expect(config.database).toMatchObject({ kind: 'postgres', url: 'postgres://db.example/greenleaf' });
    expect(config.demoMode).toBe(false);
  });

  it('bounds every wait on PostgreSQL: 5 s to connect, 30 s a statement, 60 s idle in a transaction, unless set', () => {
    const url = 'postgres://localhost/greenleaf';
    const defaults = loadConfig({ DATABASE_URL: url });
    expect(defaults.database).toMatchObject({
      timeouts: { connectSeconds: 5, statementSeconds: 30, idleInTransactionSeconds: 60 },
    });
    const set = loadConfig({
      DATABASE_URL: url,
      DATABASE_CONNECT_TIMEOUT_SECONDS: '2',
      DATABASE_STATEMENT_TIMEOUT_SECONDS: '10',
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS: '20',
    });
    expect(set.database).toMatchObject({
      timeouts: { connectSeconds: 2, statementSeconds: 10, idleInTransactionSeconds: 20 },
    });
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_SECONDS: '0' })).toThrow(
      'DATABASE_CONNECT_TIMEOUT_SECONDS',
    );
  });

  it('refuses numbers not written in digits, naming each once', () => {
    for (const value of ['0x10', '1e1', '10.0', ' 5']) {
      expect(() => loadConfig({ SESSION_IDLE_MINUTES: value })).toThrow(
        'SESSION_IDLE_MINUTES: must be a whole number written in digits',
      );
    }
    expect(loadConfig({ SESSION_IDLE_MINUTES: '45' }).signInSession.idleMinutes).toBe(45);
  });

  it('refuses a PUBLIC_URL that is not http(s), an unknown GREENLEAF_ variable and a misspelt setting', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://greenleaf.example' })).toThrow('PUBLIC_URL');
    expect(() => loadConfig({ GREENLEAF_MODE: 'on' })).toThrow('GREENLEAF_MODE: not a Greenleaf setting');
    expect(() => loadConfig({ DATABASE_POOL_SIZ: '4' })).toThrow('did you mean DATABASE_POOL_SIZE?');
    expect(loadConfig({ PUBLIC_URL: 'https://greenleaf.example' }).publicUrl).toBe(
      'https://greenleaf.example',
    );
  });

  it('warns about a variable a letter or two from a setting, and leaves other programs’ variables alone', () => {
    expect(configWarnings({ DATABSE_URL: 'postgres://x/y' })).toEqual([
      'DATABSE_URL is set but is not a Greenleaf setting: did you mean DATABASE_URL?',
    ]);
    expect(
      configWarnings({ PATH: '/usr/bin', HOME: '/root', SESSION_MANAGER: 'x', NOTIFY_SOCKET: 'y' }),
    ).toEqual([]);
    expect(() =>
      loadConfig({
        SESSION_MANAGER: 'x',
        NOTIFY_SOCKET: 'y',
        DATABSE_URL: 'z',
        GREENLEAF_E2E_DATA_DIR: '/tmp/e2e',
      }),
    ).not.toThrow();
  });

  it('treats an empty variable as not set', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  it('refuses to start with a clear message naming each bad setting', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', SESSION_IDLE_MINUTES: '0', DATABASE_URL: 'mysql://x' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('SESSION_IDLE_MINUTES');
      expect(message).toContain('DATABASE_URL: must start with postgres://');
    }
  });

  it('never allows demo mode, the embedded database, the outbox or insecure cookies in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'on', COOKIE_SECURE: 'off' });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('DEMO_MODE: demo mode is never allowed in production');
      expect(problems).toContain('DATABASE_URL: production runs on PostgreSQL');
      expect(problems).toContain('NOTIFY_API_KEY');
      expect(problems).toContain('COOKIE_SECURE');
      expect(problems).toContain(
        'AUDIT_KEY: production signs its audit log with a key from your secret store',
      );
    }
  });

  it('never loads the demo data in production, naming SEED_DEMO_DATA', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://db/greenleaf',
        PUBLIC_URL: 'https://greenleaf.example.nhs.uk',
        NOTIFY_API_KEY: 'live-key-00000000-0000-0000-0000-000000000000',
        ...ALL_TEMPLATES,
        SEED_DEMO_DATA: 'on',
      }),
    ).toThrow(/SEED_DEMO_DATA: the demo's made-up accounts are never loaded in production/);
  });

  it('accepts a complete production configuration with GOV.UK Notify', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/greenleaf',
      PUBLIC_URL: 'https://greenleaf.example.nhs.uk',
      NOTIFY_API_KEY: 'live-key-00000000-0000-0000-0000-000000000000',
      AUDIT_KEY: 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=',
      ...ALL_TEMPLATES,
    });
    expect(config.demoMode).toBe(false);
    expect(config.audit).toMatchObject({ checkpointMinutes: 5, checkpointFile: undefined });
    expect(config.audit.key).toBeDefined();
    expect(config.notify?.templates.sign_in_code.sms).toBe('3f1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69');
    expect(config.notify?.templates.ending_summary.email).toBe('af1f7d8e-7a43-4a3e-9f5e-1f2d3c4b5a69');
  });

  it('names every missing GOV.UK Notify template when the key is set', () => {
    const { NOTIFY_TEMPLATE_SESSION_REMINDER_SMS: _missing, ...rest } = ALL_TEMPLATES;
    try {
      loadConfig({
        NOTIFY_API_KEY: 'live-key-00000000-0000-0000-0000-000000000000',
        PUBLIC_URL: 'https://greenleaf.example.nhs.uk',
        ...rest,
      });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'NOTIFY_TEMPLATE_SESSION_REMINDER_SMS: with NOTIFY_API_KEY set, every GOV.UK Notify template id is required',
      ]);
    }
  });

  it('needs the public address with GOV.UK Notify, for the links in messages', () => {
    expect(() =>
      loadConfig({ NOTIFY_API_KEY: 'live-key-00000000-0000-0000-0000-000000000000', ...ALL_TEMPLATES }),
    ).toThrow(/PUBLIC_URL: with NOTIFY_API_KEY set/);
  });

  it('reads the caseload prompt thresholds and reallocation target', () => {
    const config = loadConfig({ PROMPT_NO_CONTACT_DAYS: '10', ALLOCATION_TARGET_WORKING_DAYS: '3' });
    expect(config.prompts).toEqual({ firstSessionDays: 7, noContactDays: 10, windowClosingDays: 14 });
    expect(config.allocationTargetWorkingDays).toBe(3);
    expect(config.contact.attemptsBeforeLost).toBe(3);
  });

  it('reads the safety concern deadlines and escalation step, and refuses a day that ends before it starts', () => {
    expect(loadConfig({}).concerns).toEqual({
      immediateAckMinutes: 15,
      urgentAckMinutes: 60,
      routineAckWorkingDays: 3,
      workingDayStartHour: 9,
      workingDayEndHour: 17,
      escalationStepMinutes: 30,
      call999ConfirmMinutes: 5,
    });
    expect(loadConfig({ CONCERN_CALL_999_CONFIRM_MINUTES: '3' }).concerns.call999ConfirmMinutes).toBe(3);
    expect(() => loadConfig({ CONCERN_CALL_999_CONFIRM_MINUTES: '0' })).toThrow(
      /CONCERN_CALL_999_CONFIRM_MINUTES/,
    );
    expect(
      loadConfig({ CONCERN_URGENT_ACK_MINUTES: '45', CONCERN_ESCALATION_STEP_MINUTES: '20' }).concerns,
    ).toMatchObject({ urgentAckMinutes: 45, escalationStepMinutes: 20 });
    expect(() => loadConfig({ CONCERN_IMMEDIATE_ACK_MINUTES: 'soon' })).toThrow(
      /CONCERN_IMMEDIATE_ACK_MINUTES/,
    );
    expect(() => loadConfig({ WORKING_DAY_START_HOUR: '17', WORKING_DAY_END_HOUR: '9' })).toThrow(
      /WORKING_DAY_END_HOUR: the working day must end after it starts/,
    );
  });

  it('reads the lone-working alert times, 15 and 30 minutes unless set, and refuses nonsense', () => {
    expect(loadConfig({}).loneWorking).toEqual({ graceMinutes: 15, escalationMinutes: 30 });
    expect(
      loadConfig({ LONE_WORKING_GRACE_MINUTES: '5', LONE_WORKING_ESCALATION_MINUTES: '20' }).loneWorking,
    ).toEqual({ graceMinutes: 5, escalationMinutes: 20 });
    expect(() => loadConfig({ LONE_WORKING_GRACE_MINUTES: '0' })).toThrow(/LONE_WORKING_GRACE_MINUTES/);
    expect(() => loadConfig({ LONE_WORKING_ESCALATION_MINUTES: 'soon' })).toThrow(
      /LONE_WORKING_ESCALATION_MINUTES/,
    );
  });

  it('keeps audit checkpoints in the data folder for the embedded database, or where AUDIT_CHECKPOINT_FILE says', () => {
    expect(loadConfig({ DATA_DIR: '/srv/greenleaf' }).audit).toEqual({
      key: undefined,
      checkpointMinutes: 5,
      checkpointFile: '/srv/greenleaf/audit-checkpoints.jsonl',
    });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://db/greenleaf', AUDIT_CHECKPOINT_FILE: '/var/log/cp.jsonl' })
        .audit.checkpointFile,
    ).toBe('/var/log/cp.jsonl');
    expect(() => loadConfig({ AUDIT_CHECKPOINT_MINUTES: '0' })).toThrow(/AUDIT_CHECKPOINT_MINUTES/);
  });

  it('refuses an audit key that is too short or not hex or base64, without repeating it', () => {
    for (const bad of ['c2hvcnQ=', 'this is not a key, though it is long enough']) {
      try {
        loadConfig({ AUDIT_KEY: bad });
        expect.unreachable();
      } catch (error) {
        const message = (error as ConfigError).message;
        expect(message).toContain('AUDIT_KEY: must be at least 32 random bytes as hex or base64');
        expect(message).not.toContain(bad);
      }
    }
  });

  it('reads how many sign-in codes a number may be sent a day, 5 unless set, and refuses nonsense', () => {
    expect(loadConfig({}).signInCodesPerDay).toBe(5);
    expect(loadConfig({ SIGN_IN_CODES_PER_DAY: '8' }).signInCodesPerDay).toBe(8);
    expect(() => loadConfig({ SIGN_IN_CODES_PER_DAY: '0' })).toThrow(/SIGN_IN_CODES_PER_DAY/);
    expect(() => loadConfig({ SIGN_IN_CODES_PER_DAY: 'lots' })).toThrow(/SIGN_IN_CODES_PER_DAY/);
  });

  it('sizes the worker pool to the machine unless told, and refuses a nonsense size', async () => {
    const { availableParallelism } = await import('node:os');
    expect(loadConfig({}).workers).toEqual({ threads: Math.max(1, availableParallelism()), queueLimit: 8 });
    expect(loadConfig({ WORKER_THREADS: '3', WORKER_QUEUE_LIMIT: '0' }).workers).toEqual({
      threads: 3,
      queueLimit: 0,
    });
    expect(() => loadConfig({ WORKER_THREADS: '0' })).toThrow(/WORKER_THREADS/);
    expect(() => loadConfig({ PLAN_PDF_MAX_PAGES: 'lots' })).toThrow(/PLAN_PDF_MAX_PAGES/);
  });

  it('limits each plan’s drawings, photos and voice notes, and keeps removed ones 30 days, unless told', () => {
    expect(loadConfig({}).plan.media).toEqual({
      maxItems: 200,
      maxBytes: 200 * 1024 * 1024,
      removedDays: 30,
    });
    expect(
      loadConfig({ PLAN_MEDIA_MAX_ITEMS: '50', PLAN_MEDIA_MAX_MB: '20', PLAN_REMOVED_MEDIA_DAYS: '7' }).plan
        .media,
    ).toEqual({ maxItems: 50, maxBytes: 20 * 1024 * 1024, removedDays: 7 });
    expect(() => loadConfig({ PLAN_REMOVED_MEDIA_DAYS: '0' })).toThrow(/PLAN_REMOVED_MEDIA_DAYS/);
  });
});
