/**
 * Builds the stylesheet and script once at start-up: the NHS.UK frontend's CSS without its
 * web-font rules (the Frutiger files live on assets.nhs.uk, which our Content-Security-Policy
 * does not allow; the design system falls back to Arial), plus our few additions. Names carry
 * a content hash so they can be cached for a year.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const nhsukDist = path.dirname(require.resolve('nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css'));
const here = path.dirname(fileURLToPath(import.meta.url));

export interface BuiltAsset {
  path: string;
  body: string;
  contentType: string;
}

export interface Assets {
  stylesheet: BuiltAsset;
  frontendScript: BuiltAsset;
  script: BuiltAsset;
  /** The recovery plan's enhancements (autosave, drawing, voice notes, read aloud), only on plan pages. */
  planScript: BuiltAsset;
}

function hashed(name: string, ext: string, body: string, contentType: string): BuiltAsset {
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { path: `/assets/${name}-${digest}.${ext}`, body, contentType };
}

export function buildAssets(): Assets {
  const nhsukCss = readFileSync(path.join(nhsukDist, 'nhsuk-frontend.min.css'), 'utf8').replace(
    /@font-face\{[^}]*\}/g,
    '',
  );
  // greenleaf.css, then each feature's own sheet (plan-media.css, plan-print.css…) in name order.
  const viewsDir = path.join(here, '../../views');
  const ownCss = [
    'greenleaf.css',
    ...readdirSync(viewsDir)
      .filter((f) => f.endsWith('.css') && f !== 'greenleaf.css')
      .sort(),
  ]
    .map((file) => readFileSync(path.join(viewsDir, file), 'utf8'))
    .join('\n');
  const nhsukJs = readFileSync(path.join(nhsukDist, 'nhsuk-frontend.min.js'), 'utf8');
  // The service worker's registration rides along: it keeps "When I'm struggling" for offline use.
  const ownJs = ['greenleaf.js', 'sw-register.js']
    .map((file) => readFileSync(path.join(here, '../../views', file), 'utf8'))
    .join('\n');
  const js = 'text/javascript; charset=utf-8';
  const frontendScript = hashed(
    'nhsuk-frontend',
    'js',
    nhsukJs.replace(/\/\/# sourceMappingURL=.*$/m, ''),
    js,
  );
  // Each file in views/plan/ is one feature, in its own block so their names stay apart.
  const planDir = path.join(here, '../../views/plan');
  const planJs = readdirSync(planDir)
    .filter((file) => file.endsWith('.js'))
    .sort()
    .map((file) => `// ${file}\n{\n${readFileSync(path.join(planDir, file), 'utf8')}\n}\n`)
    .join('\n');
  return {
    planScript: hashed('plan', 'js', planJs, js),
    stylesheet: hashed('greenleaf', 'css', `${nhsukCss}\n${ownCss}`, 'text/css; charset=utf-8'),
    frontendScript,
    // Our module imports the design system's initAll from the hashed bundle.
    script: hashed('greenleaf', 'js', ownJs.replace('__NHSUK_FRONTEND__', frontendScript.path), js),
  };
}
