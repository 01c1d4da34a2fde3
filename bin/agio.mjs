#!/bin/sh
':' /*- This file is a POSIX shell script and, from the line after the comment below, an ES module.
# The shell part runs when the file is executed (`agio …`, `bin/agio.mjs …`). It exists for the key:
# the environment a process was started with stays readable in /proc/<pid>/environ for as long as
# it lives, to every process of the same user, commands the model runs included. So the key is moved
# from OPENAI_API_KEY / ANTHROPIC_API_KEY into a pipe on fd 3 (a here-document) and Node is started
# with `exec`, which replaces this shell: no process that runs Agio was started with the key.
if [ -n "${OPENAI_API_KEY-}${ANTHROPIC_API_KEY-}" ]; then
  exec 3<<AGIO_KEYS
OPENAI_API_KEY=${OPENAI_API_KEY-}
ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY-}
AGIO_KEYS
  unset OPENAI_API_KEY ANTHROPIC_API_KEY
  AGIO_KEY_FD=3
  export AGIO_KEY_FD
fi
exec "${AGIO_NODE:-node}" --liftoff-only "$0" "$@"
*/
// Launcher for the bundled CLI.
// - `--liftoff-only`: V8's optimizing WebAssembly compiler, working on the tree-sitter bash grammar
//   the policy parses commands with, takes the process to ~600 MB peak RSS; baseline-only
//   compilation keeps it near 90 MB and parses faster. V8 reads the flag only from the command line
//   (flags freeze at start-up), so the shell part above passes it, and we re-run ourselves with it
//   when started as `node bin/agio.mjs`.
// - Agio's SQLite module needs Node 22 or newer; an older node re-runs us with the Node 24 that
//   `npm install` put in node_modules (the `node` package).
// - The API key never stays in the environment of a process that runs Agio (see the shell part):
//   started as `node bin/agio.mjs` with a key in the environment, we replace ourselves
//   (process.execve) with the shell part, which moves the key to fd 3. The key read from fd 3 is
//   handed to the CLI in memory (globalThis, below), never put back into process.env.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FLAG = '--liftoff-only';
const KEY_VARS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY'];
const self = fileURLToPath(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);
const needsNewerNode = major < 22;
const keyFd = process.env.AGIO_KEY_FD === '3' ? 3 : undefined;
const keyInEnv = KEY_VARS.some((v) => process.env[v]);

if (keyInEnv && keyFd === undefined && process.platform !== 'win32' && typeof process.execve === 'function') {
  // Through the shell part, with this same node and its flag.
  process.execve('/bin/sh', ['/bin/sh', self, ...process.argv.slice(2)], {
    ...process.env,
    AGIO_NODE: process.execPath,
  });
}
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
  if (keyInEnv && keyFd === undefined && process.platform !== 'win32') {
    // An old node started directly: it cannot replace itself, so this process keeps the key in its
    // environment while the run lasts. Say so rather than claim otherwise.
    process.stderr.write(
      `agio: started as \`node ${self}\` on Node ${process.version}, which keeps your API key readable in this process's environment; run ${self} itself (or agio) instead\n`,
    );
  }
  // The key pipe (fd 3) goes to the child only; this process closes its copy once the child has it.
  const stdio = keyFd === undefined ? 'inherit' : ['inherit', 'inherit', 'inherit', keyFd];
  const child = spawn(node, [FLAG, self, ...process.argv.slice(2)], { stdio });
  if (keyFd !== undefined) closeSync(keyFd);
  // Ctrl-C reaches the child through the terminal's process group; other signals are passed on.
  process.on('SIGINT', () => {});
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  if (keyFd !== undefined) {
    // Read and closed before anything else runs: fd 3 must not be inherited by any command.
    const keys = {};
    try {
      for (const line of readFileSync(keyFd, 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        const name = line.slice(0, eq);
        if (eq > 0 && KEY_VARS.includes(name) && line.length > eq + 1) keys[name] = line.slice(eq + 1);
      }
    } finally {
      closeSync(keyFd);
    }
    delete process.env.AGIO_KEY_FD;
    delete process.env.AGIO_NODE;
    globalThis[Symbol.for('agio.launcherKeys')] = keys;
  }
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
