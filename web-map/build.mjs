// Build script: `npm run build` -> dist/ and dist-test/. Kept as a plain script (no config files) so
// the whole build is readable here.
//
// dist/ is what the jar serves. dist-test/ is the same build with the test hooks (window.aimMap,
// aimReady, aimError, aimIncidents, aimHotspots, aimAssets, aimReport, aimProblems, aimActions, aimMeetings) that the browser tests in
// server/src/test/java/aim/web read and drive: esbuild `define`s AIM_TEST_HOOKS as true there and false
// in dist/, where the minifier drops every `if (AIM_TEST_HOOKS)` branch, so the packaged bundle has no
// hooks. The Maven build puts dist-test/ on the test classpath only (target/test-classes/public, ahead
// of the jar's target/classes/public).
//
//   dist/index.html, app.js, app.css        the map (src/main.js)
//   dist/login/index.html, login.js, .css   the log-in page (src/login/login.js)
//   dist/report/index.html, report.js, .css the warden report page (src/report/report.js)
//   dist/actions/index.html, actions.js, .css  "My organisation's actions" (src/actions/actions.js)
//   dist/meetings/index.html, meetings.js, .css the meetings page (src/meetings/meetings.js)
//   dist/sw.js                              the service worker (src/sw.js), at the root for scope "/"
//   dist/images/*.png                       Leaflet's images
//
// No source maps unless asked (AIM_SOURCEMAPS=1): the packaged jar serves dist/ to anyone, and a map
// would publish the unminified source. With AIM_SOURCEMAPS=1 they are written as separate .map files.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHELL_FILES } from './src/offline/shell.js';

const root = dirname(fileURLToPath(import.meta.url));
const sourcemap = process.env.AIM_SOURCEMAPS === '1';

/** The whole site into `out` (a folder of web-map/), with or without the test hooks. */
async function buildSite(out, { testHooks }) {
  const dist = join(root, out);
  await rm(dist, { recursive: true, force: true });
  await mkdir(join(dist, 'images'), { recursive: true });

  const common = {
    absWorkingDir: root,
    outdir: out,
    bundle: true,
    minify: true,
    sourcemap,
    target: ['es2020'],
    logLevel: 'warning',
    define: { AIM_TEST_HOOKS: String(testHooks) },
  };

  await build({
    ...common,
    // each -> NAME.js, and NAME.css from the CSS it imports
    entryPoints: {
      app: 'src/main.js',
      'login/login': 'src/login/login.js',
      'report/report': 'src/report/report.js',
      'actions/actions': 'src/actions/actions.js',
      'meetings/meetings': 'src/meetings/meetings.js',
    },
    format: 'esm',
    // Leaflet's CSS refers to images/*.png: copy them, keeping their names, so url() resolves
    // (from dist/report/report.css as ../images/...).
    loader: { '.png': 'file', '.svg': 'file' },
    assetNames: 'images/[name]',
  });

  // Leaflet finds its default marker images next to marker-icon.png (named in its CSS);
  // the 2x icon and the shadow are not in the CSS, so copy them too.
  for (const name of ['marker-icon-2x.png', 'marker-shadow.png']) {
    await copyFile(join(root, 'node_modules/leaflet/dist/images', name), join(dist, 'images', name));
  }
  await copyFile(join(root, 'src/index.html'), join(dist, 'index.html'));
  for (const page of ['login', 'report', 'actions', 'meetings']) {
    await copyFile(join(root, `src/${page}/index.html`), join(dist, page, 'index.html'));
  }

  // The service worker's cache name carries a hash of the shell files, so any change to them
  // makes a new sw.js, which the browser installs (fetching the new shell) in place of the old.
  const hash = createHash('sha256');
  for (const path of SHELL_FILES) {
    const file = path.endsWith('/') ? `${path}index.html` : path;
    hash.update(path).update('\0').update(await readFile(join(dist, file))).update('\0');
  }
  await build({
    ...common,
    entryPoints: { sw: 'src/sw.js' },
    format: 'iife', // classic worker script: no module-worker support needed
    define: { ...common.define, __SHELL_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)) },
  });
}

await buildSite('dist', { testHooks: false });
await buildSite('dist-test', { testHooks: true });
