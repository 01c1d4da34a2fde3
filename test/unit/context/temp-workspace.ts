// A temporary workspace with the given files, for the context unit tests (rules, mentions, provider).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function workspace(files: Record<string, string>): { root: string; done: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'agio-context-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}
