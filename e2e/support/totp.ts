/**
 * Authenticator codes for the real staff sign-in. The server refuses a time step already used
 * by an account, so the last step used is remembered (in a file beside this run's database,
 * shared by both projects) and a sign-in in the same 30 s waits for the next step.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Secret, TOTP } from 'otpauth';

const PERIOD_MS = 30_000;

interface Enrolment {
  secret: string;
  lastStep: number;
}

function storePath(): string {
  const dataDir = process.env.GREENLEAF_E2E_DATA_DIR;
  if (!dataDir) throw new Error('GREENLEAF_E2E_DATA_DIR is not set: run through playwright.config.ts');
  return `${dataDir}.totp.json`;
}

function readStore(): Record<string, Enrolment> {
  const file = storePath();
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Enrolment>) : {};
}

export function rememberedSecret(email: string): string | undefined {
  return readStore()[email]?.secret;
}

/** A code for a time step this account has not used yet (waits up to 30 s for one). */
export async function freshCode(email: string, secret: string): Promise<string> {
  const store = readStore();
  const lastStep = store[email]?.lastStep ?? -1;
  let step = Math.floor(Date.now() / PERIOD_MS);
  if (step <= lastStep) {
    await new Promise((resolve) => setTimeout(resolve, (lastStep + 1) * PERIOD_MS - Date.now() + 250));
    step = Math.floor(Date.now() / PERIOD_MS);
  }
  // Leave a second's margin before the step ends so the server sees the same step.
  if ((step + 1) * PERIOD_MS - Date.now() < 1_000) {
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * PERIOD_MS - Date.now() + 250));
    step = Math.floor(Date.now() / PERIOD_MS);
  }
  const code = new TOTP({
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  }).generate({ timestamp: step * PERIOD_MS });
  writeFileSync(storePath(), JSON.stringify({ ...store, [email]: { secret, lastStep: step } }));
  return code;
}
