#!/usr/bin/env -S node --liftoff-only
// Launcher for the bundled CLI.
// - `--liftoff-only`: V8's optimizing WebAssembly compiler, working on the tree-sitter bash grammar
//   the policy parses commands with, takes the process to ~600 MB peak RSS; baseline-only
//   compilation keeps it near 90 MB and parses faster. V8 reads the flag only from the command line
//   (flags freeze at start-up), so it is in the shebang above, and we re-run ourselves with it when
//   started as `node bin/agio.mjs`.
// - Agio's SQLite module needs Node 22 or newer; an older node re-runs us with the Node 24 that
//   `npm install` put in node_modules (the `node` package).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLAG = '--liftoff-only';
const major = Number(process.versions.node.split('.')[0]);
const needsNewerNode = major < 22;
if (needsNewerNode || !process.execArgv.includes(FLAG)) {
  let node = process.execPath;
  if (needsNewerNode) {
    node = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
    if (!existsSync(node)) {
      process.stderr.write(
        `agio: needs Node 22 or newer (this is ${process.version}); run npm install in the Agio folder, or install a newer Node\n`,
      );
      process.exit(2);
    }
  }
  const child = spawn(node, [FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; other signals are passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  const dist = new URL('../dist/cli.js', import.meta.url);
  if (!existsSync(fileURLToPath(dist))) {
    process.stderr.write('agio: not built yet; run npm run build in the Agio folder\n');
    process.exit(2);
  }
  // Node keeps the compiled bytecode of the bundle on disk between runs (os.tmpdir()/node-compile-cache):
  // start-up is mostly compiling ~2 MB of JavaScript, and this skips that after the first run.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  await import(dist.href);
}
