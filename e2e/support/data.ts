/** Small builders for the data the journeys type in, each unique to its test run. */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const DAY_MS = 86_400_000;

export const DEMO_PASSWORD = 'greenleaf-demo-2026';
export const demoEmail = (local: string): string => `${local}@demo.greenleaf.nhs.uk`;

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Today's calendar date in the UK, as the service counts it. */
export function londonToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function isoDaysAgo(days: number): string {
  return new Date(Date.parse(`${londonToday()}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);
}

export function dateParts(iso: string): DateParts {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** Whole weeks and days left in a 3-month window from a discharge date (PRODUCT.md section 2). */
export function programmeWindow(dischargedOn: string): { weeksSinceDischarge: number; daysLeft: number } {
  const [y, m, d] = dischargedOn.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + 3, 1));
  end.setUTCDate(
    Math.min(d, new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate()),
  );
  const today = Date.parse(`${londonToday()}T00:00:00Z`);
  return {
    weeksSinceDischarge: Math.floor(
      Math.round((today - Date.parse(`${dischargedOn}T00:00:00Z`)) / DAY_MS) / 7,
    ),
    daysLeft: Math.max(0, Math.round((end.getTime() - today) / DAY_MS)),
  };
}

/**
 * A valid NHS number no one else in this run has: the 999 test range (never issued), above the
 * seeded ones, with its modulus-11 check digit. The service refuses a second referral of a number.
 */
export function uniqueNhsNumber(): string {
  for (;;) {
    const digits = `9995${String(randomInt(100_000)).padStart(5, '0')}`;
    let sum = 0;
    for (let index = 0; index < digits.length; index++) sum += Number(digits.charAt(index)) * (10 - index);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    const all = `${digits}${String(check === 11 ? 0 : check)}`;
    return `${all.slice(0, 3)} ${all.slice(3, 6)} ${all.slice(6)}`;
  }
}

/** The same number with its check digit changed, so it fails the modulus-11 check. */
export function withWrongCheckDigit(nhsNumber: string): string {
  const last = Number(nhsNumber.slice(-1));
  return `${nhsNumber.slice(0, -1)}${String((last + 1) % 10)}`;
}

export interface ReferralData {
  givenName: string;
  familyName: string;
  dateOfBirth: DateParts;
  nhsNumber?: string;
  mobile: string;
  crisisTeam: 'North' | 'South';
  dischargedOn: string;
  destination: 'Community mental health team' | 'GP';
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A made-up surname no other test uses, so lists can be searched for exactly one row. */
export function uniqueFamilyName(prefix: string): string {
  const suffix = Array.from({ length: 6 }, () => LETTERS[randomInt(LETTERS.length)]).join('');
  return `${prefix}-${suffix.charAt(0).toUpperCase()}${suffix.slice(1)}`;
}

/**
 * A mobile number no other referral in this run has (a referral with someone else's number asks
 * whether it is the same person). Ofcom's drama range 07700 900000–999 has only 1,000, the demo
 * participants use the first 30, so this run counts up from 07700 900100 in a file beside its
 * database, which every test process of the run shares (playwright.config.ts).
 */
export function uniqueMobile(): string {
  const file = `${process.env.GREENLEAF_E2E_DATA_DIR ?? `${os.tmpdir()}/greenleaf-e2e`}-mobiles`;
  const used = existsSync(file) ? Number(readFileSync(file, 'utf8')) || 0 : 0;
  if (used >= 900) throw new Error('this run has used every test mobile number');
  writeFileSync(file, String(used + 1));
  return `07700 900 ${String(100 + used)}`;
}

export function buildReferral(overrides: Partial<ReferralData> = {}): ReferralData {
  return {
    givenName: 'Ada',
    familyName: uniqueFamilyName('Testwell'),
    dateOfBirth: { day: '15', month: '5', year: '1990' },
    mobile: overrides.mobile ?? uniqueMobile(),
    crisisTeam: 'North',
    dischargedOn: isoDaysAgo(10),
    destination: 'Community mental health team',
    ...overrides,
  };
}

export const fullName = (data: Pick<ReferralData, 'givenName' | 'familyName'>): string =>
  `${data.givenName} ${data.familyName}`;
