// Bundles the panel for the browser: dist/webview/main.js (one classic script, so the client's page
// can load it with a CSP nonce), dist/webview/main.css (the panel's styles with codicon.css inlined)
// and dist/webview/codicon.ttf. With { harness: true } it also builds the standalone harness script
// (dist/webview-harness/harness.js) used by webview/harness.html, the screenshots and the benchmark.
//
//   node webview/build.mjs            # panel + harness
//   import { buildWebview } from './webview/build.mjs'; await buildWebview();   # from esbuild.mjs
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  // VS Code's Electron is far newer; this only stops esbuild from lowering modern syntax.
  target: ['chrome120'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  // Webviews get no `process`; some packages read NODE_ENV to drop development code.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
};

/** @param {{ minify?: boolean, sourcemap?: boolean, harness?: boolean, outRoot?: string }} [opts] */
export async function buildWebview(opts = {}) {
  // outRoot lets the benchmark build into a folder of its own, safe from a concurrent root build.
  const { minify = true, sourcemap = true, harness = false, outRoot = 'dist' } = opts;
  const panel = await build({
    ...common,
    entryPoints: { main: 'webview/src/main.tsx' },
    outdir: `${outRoot}/webview`,
    // codicon.css refers to its font with url("./codicon.ttf?…"): copy it next to main.css.
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    minify,
    sourcemap: sourcemap ? 'linked' : false,
    // One mark at the start of the bundle: the benchmark reads the panel's own start-up cost from it.
    banner: { js: "performance.mark('agio-script-start');" },
    metafile: true,
  });
  if (harness) {
    await build({
      ...common,
      entryPoints: { harness: 'webview/dev/harness.ts', 'bench-worker': 'webview/dev/bench-worker.ts' },
      outdir: `${outRoot}/webview-harness`,
      // Small and quick to load, so the harness does not inflate the panel's first-paint figures.
      minify: true,
    });
  }
  return panel.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const meta = await buildWebview({ harness: !process.argv.includes('--no-harness') });
  for (const [file, out] of Object.entries(meta.outputs)) {
    if (!file.endsWith('.map')) console.log(`${file}  ${(out.bytes / 1024).toFixed(1)} KiB`);
  }
}
