/** Variables that look like settings but are not one, and numbers not written in digits. */
import type { z } from 'zod';
import { configSchema, KNOWN_SETTINGS } from './schema.ts';

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
export function unknownSettings(env: Record<string, string | undefined>): string[] {
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
export function numbersNotInDigits(env: Record<string, string | undefined>): string[] {
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
