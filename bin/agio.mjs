#!/usr/bin/env node
// Launcher for the bundled CLI. Agio's SQLite module needs Node 22 or newer; when an older node runs
// this file, re-run it with the Node 24 that `npm install` put in node_modules (the `node` package).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    process.stderr.write(`agio: needs Node 22 or newer (this is ${process.version}); run npm install in the Agio folder, or install a newer Node\n`);
    process.exit(2);
  }
  const r = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? (r.signal === 'SIGINT' ? 130 : 1));
}
const dist = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  process.stderr.write('agio: not built yet; run npm run build in the Agio folder\n');
  process.exit(2);
}
await import(dist.href);
