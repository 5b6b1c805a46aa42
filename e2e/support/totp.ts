/**
 * Authenticator codes for the real staff sign-in. The server refuses a time step already used
 * by an account, so the last step used is remembered (in a file beside this run's database,
 * shared by both projects). A second sign-in in the same 30 s uses the next step's code, as a
 * phone whose clock runs a little fast would: the server accepts one step either side for drift
 * (src/identity/totp.ts), so no sign-in waits for the clock unless two steps ahead are used.
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

/** A code for a time step this account has not used yet, at most one step ahead of now. */
export async function freshCode(email: string, secret: string): Promise<string> {
  const store = readStore();
  const lastStep = store[email]?.lastStep ?? -1;
  const step = Math.max(Math.floor(Date.now() / PERIOD_MS), lastStep + 1);
  // Two steps ahead would be refused: wait until it is only one ahead (rare: a third sign-in
  // of one account within 30 s).
  const acceptedFrom = (step - 1) * PERIOD_MS;
  if (Date.now() < acceptedFrom) {
    await new Promise((resolve) => setTimeout(resolve, acceptedFrom - Date.now() + 250));
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
