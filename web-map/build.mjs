// Build script: `npm run build` -> dist/{index.html, app.js, app.css, images/*}.
// Kept as a plain script (no config files) so the whole build is readable here.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'images'), { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.js' }, // -> dist/app.js, and dist/app.css from the CSS it imports
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  // Leaflet's CSS refers to images/*.png: copy them, keeping their names, so url() resolves.
  loader: { '.png': 'file', '.svg': 'file' },
  assetNames: 'images/[name]',
  logLevel: 'warning',
});

// Leaflet finds its default marker images next to marker-icon.png (named in its CSS);
// the 2x icon and the shadow are not in the CSS, so copy them too.
for (const name of ['marker-icon-2x.png', 'marker-shadow.png']) {
  await copyFile(join(root, 'node_modules/leaflet/dist/images', name), join(dist, 'images', name));
}
await copyFile(join(root, 'src/index.html'), join(dist, 'index.html'));
