// Builds everything into dist/ (DESIGN §7):
//   dist/cli.js (+ chunks)  the server and CLI, ESM; each SDK in its own lazily loaded chunk
//   dist/extension.cjs      the VS Code client (CommonJS, `vscode` external)
//   dist/webview/           the panel bundle
//   dist/node_modules/      the few runtime files the bundles cannot contain (the SQLite native module,
//                           the tree-sitter wasm, ripgrep), so dist/ is self-contained for the .vsix
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  // Prefer ESM builds: jsonc-parser's UMD build requires its own files at run time, which a bundle cannot.
  mainFields: ['module', 'main'],
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  define: { __AGIO_VERSION__: JSON.stringify(pkg.version) },
};

// Start clean: content-hashed chunks from earlier builds would otherwise pile up (and ship).
rmSync('dist', { recursive: true, force: true });

await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'server/src/cli.ts' },
    outdir: 'dist',
    splitting: true,
    format: 'esm',
    // Native module: loaded from dist/node_modules at run time, never bundled.
    external: ['better-sqlite3'],
    // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __agioCreateRequire } from 'node:module'; const require = __agioCreateRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: { extension: 'client/src/extension.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['vscode'],
  }),
  existsSync('webview/build.mjs')
    ? import('./webview/build.mjs').then((m) => m.buildWebview({ sourcemap: !production }))
    : Promise.resolve(),
]);

copyRuntimeFiles();

/** Copies what the server loads from disk at run time into dist/node_modules. */
function copyRuntimeFiles() {
  const copy = (name, files) => {
    // npm installs these flat under node_modules/ (several export no package.json to resolve).
    const from = join('node_modules', name);
    const to = join('dist', 'node_modules', name);
    mkdirSync(to, { recursive: true });
    for (const f of ['package.json', ...files]) cpSync(join(from, f), join(to, f), { recursive: true });
  };
  copy('better-sqlite3', ['lib', 'prebuilds']);
  copy('web-tree-sitter', ['web-tree-sitter.wasm']);
  copy('tree-sitter-bash', ['tree-sitter-bash.wasm']);
  // ripgrep for this platform only: all platforms are 56 MB.
  copy('@vscode/ripgrep-universal', ['lib', `bin/${process.platform}-${process.arch}`]);
}
