// Build script: `npm run build` -> dist/ and dist-test/. Kept as a plain script (no config files) so
// the whole build is readable here.
//
// dist/ is what the jar serves. dist-test/ is the same build with the test hooks (window.aimMap,
// aimReady, aimError, aimIncidents, aimHotspots, aimAssets, aimReport, aimProblems, aimActions, aimMeetings, aimPublic) that the browser tests in
// server/src/test/java/aim/web read and drive: esbuild `define`s AIM_TEST_HOOKS as true there and false
// in dist/, where the minifier drops every `if (AIM_TEST_HOOKS)` branch, so the packaged bundle has no
// hooks. The Maven build puts dist-test/ on the test classpath only (target/test-classes/public, ahead
// of the jar's target/classes/public).
//
//   dist/index.html, app-HASH.js, app-HASH.css   the map (src/main.js)
//   dist/login/index.html, login-HASH.js, .css   the log-in page (src/login/login.js)
//   dist/report/index.html, report-HASH.js, .css the warden report page (src/report/report.js)
//   dist/actions/index.html, actions-HASH.js, .css  "My organisation's actions" (src/actions/actions.js)
//   dist/meetings/index.html, meetings-HASH.js, .css the meetings page (src/meetings/meetings.js)
//   dist/public/index.html, public-HASH.js, .css   the public map, no sign-in (src/public/public.js)
//   dist/api/docs/index.html, docs-HASH.js, .css  the API reference: Swagger UI (swagger-ui-dist) over /api/openapi.json (src/docs/)
//   dist/sw.js                              the service worker (src/sw.js), at the root for scope "/"
//   dist/images/*.png                       Leaflet's images
//
// The bundles' names carry a hash of their content (esbuild's [hash]: 8 characters of A-Z and 2-7), so
// the server sends them with a year-long immutable Cache-Control (aim.web.App); the pages, sw.js and the
// images keep their names and are revalidated on every use (no-cache). Each page's <script>/<link> is
// rewritten here to its bundle's hashed name, and the service worker is given the hashed shell list.
//
// No source maps unless asked (AIM_SOURCEMAPS=1): the packaged jar serves dist/ to anyone, and a map
// would publish the unminified source. With AIM_SOURCEMAPS=1 they are written as separate .map files.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  const pages = await build({
    ...common,
    // each -> NAME-HASH.js, and NAME.css from the CSS it imports
    entryPoints: {
      app: 'src/main.js',
      'login/login': 'src/login/login.js',
      'report/report': 'src/report/report.js',
      'actions/actions': 'src/actions/actions.js',
      'meetings/meetings': 'src/meetings/meetings.js',
      'public/public': 'src/public/public.js',
      'api/docs/docs': 'src/docs/docs.js',
    },
    format: 'esm',
    // Leaflet's CSS refers to images/*.png: copy them, keeping their names, so url() resolves
    // (from dist/report/report.css as ../images/...).
    loader: { '.png': 'file', '.svg': 'file' },
    assetNames: 'images/[name]',
    entryNames: '[dir]/[name]-[hash]',
    metafile: true,
  });
  const bundles = hashedNames(pages.metafile, out);

  // Leaflet finds its default marker images next to marker-icon.png (named in its CSS);
  // the 2x icon and the shadow are not in the CSS, so copy them too.
  for (const name of ['marker-icon-2x.png', 'marker-shadow.png']) {
    await copyFile(join(root, 'node_modules/leaflet/dist/images', name), join(dist, 'images', name));
  }
  for (const page of ['', 'login/', 'report/', 'actions/', 'meetings/', 'public/']) {
    const html = await readFile(join(root, 'src', page, 'index.html'), 'utf8');
    await writeFile(join(dist, page, 'index.html'), withHashedBundles(html, page, bundles));
  }
  // the API reference: its source in src/docs/, served at /api/docs/ (its refs are absolute)
  const docs = await readFile(join(root, 'src/docs/index.html'), 'utf8');
  await writeFile(join(dist, 'api/docs/index.html'), withHashedBundles(docs, 'api/docs/', bundles));

  // The service worker's cache name carries a hash of the shell files, so any change to them
  // makes a new sw.js, which the browser installs (fetching the new shell) in place of the old.
  const shellFiles = SHELL_FILES.map((path) => bundles.get(path) ?? path);
  const hash = createHash('sha256');
  for (const path of shellFiles) {
    const file = path.endsWith('/') ? `${path}index.html` : path;
    hash.update(path).update('\0').update(await readFile(join(dist, file))).update('\0');
  }
  await build({
    ...common,
    entryPoints: { sw: 'src/sw.js' },
    format: 'iife', // classic worker script: no module-worker support needed
    define: {
      ...common.define,
      __SHELL_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 16)),
      __SHELL_FILES__: JSON.stringify(shellFiles),
    },
  });
}

/** '/app.js' -> '/app-HASH.js' (and the CSS of each entry) from esbuild's metafile of a build into `out`. */
function hashedNames(metafile, out) {
  const names = new Map();
  const site = (file) => file.slice(out.length); // 'dist/app-X.js' -> '/app-X.js'
  const plain = (path) => path.replace(/-[A-Z0-9]{8}(\.(js|css))$/, '$1');
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (!output.entryPoint) continue;
    names.set(plain(site(file)), site(file));
    if (output.cssBundle) names.set(plain(site(output.cssBundle)), site(output.cssBundle));
  }
  return names;
}

/** The page's <script src> and <link href> of a .js/.css bundle, pointed at its hashed name (`page`: 'login/' or ''). */
function withHashedBundles(html, page, bundles) {
  return html.replace(/(src|href)="([^"]+\.(?:js|css))"/g, (match, attribute, ref) => {
    const path = ref.startsWith('/') ? ref : `/${page}${ref}`;
    const hashed = bundles.get(path);
    if (!hashed) throw new Error(`src/${page}index.html refers to ${ref}, which the build does not make`);
    return `${attribute}="${hashed}"`;
  });
}

await buildSite('dist', { testHooks: false });
await buildSite('dist-test', { testHooks: true });
