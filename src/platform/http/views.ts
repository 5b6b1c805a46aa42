/** Nunjucks set up once: our templates beside their features, and the NHS.UK frontend's macros. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { nhsukDist } from './assets.ts';
import { formatDate, formatDateTime } from '../calendar/uk-format.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([srcDir, path.dirname(nhsukDist)], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addFilter('date', formatDate);
  env.addFilter('dateTime', formatDateTime);
  // A count as people read it (12,345), or a dash where there is none.
  env.addFilter('count', (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-GB') : '–'));
  return env;
}
