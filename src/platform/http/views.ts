/** Nunjucks set up once: our templates beside their features, and the NHS.UK frontend's macros. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { nhsukDist } from './assets.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const LONDON_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

/** "26 November 2026" for a date-only ISO string or a Date. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
  return LONDON_DATE.format(date);
}

export function formatDateTime(value: Date | null | undefined): string {
  return value ? LONDON_DATE_TIME.format(value).replace(' at ', ', ') : '';
}

export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([srcDir, path.dirname(nhsukDist)], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  return env;
}
