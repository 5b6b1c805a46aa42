import { z } from 'zod';

const flag = z.enum(['on', 'off']);

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
    DATA_DIR: z.string().min(1).default('./data'),
    DEMO_MODE: flag.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    COOKIE_SECURE: flag.default('on'),
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(120).default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(12),
    PROGRAMME_WINDOW_MONTHS: z.coerce.number().int().min(1).max(12).default(3),
    PROGRAMME_SESSION_CAP: z.coerce.number().int().min(1).max(50).default(10),
    NOTIFY_API_KEY: z.string().min(10).optional(),
    NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS: z.uuid().optional(),
    NOTIFY_TEMPLATE_SIGN_IN_CODE_EMAIL: z.uuid().optional(),
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
      if (env.COOKIE_SECURE === 'off') {
        ctx.addIssue({
          code: 'custom',
          path: ['COOKIE_SECURE'],
          message: 'cookies must be Secure in production',
        });
      }
    }
    if (
      env.NOTIFY_API_KEY &&
      (!env.NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS || !env.NOTIFY_TEMPLATE_SIGN_IN_CODE_EMAIL)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS'],
        message: 'with NOTIFY_API_KEY set, both sign-in code template ids are required',
      });
    }
  });

export interface Config {
  environment: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string | undefined;
  database: { kind: 'postgres'; url: string; poolSize: number } | { kind: 'embedded'; dataDir: string };
  demoMode: boolean;
  seedDemoData: boolean;
  logLevel: string;
  secureCookies: boolean;
  /** How many reverse proxies sit in front, whose X-Forwarded-For is believed. */
  trustProxyHops: number;
  session: { idleMinutes: number; absoluteHours: number };
  programme: { windowMonths: number; sessionCap: number };
  notify: { apiKey: string; templates: { signInCodeSms: string; signInCodeEmail: string } } | undefined;
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

export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (`DATABASE_URL=`) means "not set", as it does to most tools.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL;
  const demoMode = e.DEMO_MODE ? e.DEMO_MODE === 'on' : embedded && e.NODE_ENV !== 'production';
  return {
    environment: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'embedded', dataDir: e.DATA_DIR },
    demoMode,
    seedDemoData: e.SEED_DEMO_DATA ? e.SEED_DEMO_DATA === 'on' : demoMode,
    logLevel: e.LOG_LEVEL,
    secureCookies: e.COOKIE_SECURE === 'on',
    trustProxyHops: e.TRUST_PROXY_HOPS,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    programme: { windowMonths: e.PROGRAMME_WINDOW_MONTHS, sessionCap: e.PROGRAMME_SESSION_CAP },
    notify:
      e.NOTIFY_API_KEY && e.NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS && e.NOTIFY_TEMPLATE_SIGN_IN_CODE_EMAIL
        ? {
            apiKey: e.NOTIFY_API_KEY,
            templates: {
              signInCodeSms: e.NOTIFY_TEMPLATE_SIGN_IN_CODE_SMS,
              signInCodeEmail: e.NOTIFY_TEMPLATE_SIGN_IN_CODE_EMAIL,
            },
          }
        : undefined,
  };
}
