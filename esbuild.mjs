// Bundles the server and CLI into dist/ for shipping and fast start-up (DESIGN §7). Each SDK lands
// in its own chunk that is loaded only when a run uses that provider.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { cli: 'server/src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Prefer ESM builds: jsonc-parser's UMD build requires its own files at run time, which a bundle cannot.
  mainFields: ['module', 'main'],
  sourcemap: 'linked',
  // Native module: loaded from node_modules at run time, never bundled.
  external: ['better-sqlite3'],
  define: { __AGIO_VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __agioCreateRequire } from 'node:module'; const require = __agioCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
