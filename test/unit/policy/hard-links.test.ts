// A regular file in the workspace with a second name (a hard link) may be a file outside it: the file
// tools, grep's withholding and the shell classifier's path checks ask about it in every mode, sandbox
// or not (the sandbox's writable workspace mount is the same inode). Real files, real links.
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decide, readApprovalFor, SessionGrants, type PolicyContext } from '../../../server/src/policy/engine.ts';
import { analyzeCommand } from '../../../server/src/policy/shell/analyze.ts';
import type { ApprovalMode } from '../../../server/src/protocol/events.ts';
import { grepTool } from '../../../server/src/tools/grep.ts';
import { getTool } from '../../../server/src/tools/registry.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { nodeNetwork, nodeProcesses } from '../../../server/src/workspace/node-processes.ts';

let tmp: string;
let root: string;
before(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'agio-links-')));
  root = join(tmp, 'ws');
  mkdirSync(join(root, 'dir', 'sub'), { recursive: true });
  mkdirSync(join(tmp, 'outside'));
  writeFileSync(join(tmp, 'outside', 'secret.txt'), 'outside-secret-7731\n');
  linkSync(join(tmp, 'outside', 'secret.txt'), join(root, 'notes.txt'));
  writeFileSync(join(root, 'solo.txt'), 'outside-secret is not here\n');
  symlinkSync('notes.txt', join(root, 'alias.txt'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function ctx(mode: ApprovalMode, sandboxed: boolean): PolicyContext {
  const none = { allow: [], ask: [], deny: [] };
  return {
    mode,
    trusted: true,
    sandboxed,
    rules: {
      commands: none,
      paths: none,
      network: none,
      envAllow: [],
      envSecrets: [],
      warnings: [],
      grants: { file: '/dev/null', workspace: '/nowhere' },
    },
    grants: new SessionGrants(),
    root,
    home: join(tmp, 'home'),
  };
}

const MODES: Array<[ApprovalMode, boolean]> = [
  ['ask', false],
  ['auto-edit', false],
  ['full-auto', false],
  ['full-auto', true],
];
const file = (tool: string, args: Record<string, unknown>, c: PolicyContext) => decide(getTool(tool)!, args, c);

describe('file tools on a hard-linked file', () => {
  it('read, grep, ls of the file, edit and write ask in every mode, and say why', async () => {
    const edit = { path: 'notes.txt', edits: [{ old_text: 'a', new_text: 'b' }] };
    for (const [mode, sandboxed] of MODES) {
      for (const [tool, args] of [
        ['read', { path: 'notes.txt' }],
        ['grep', { pattern: 'x', path: 'notes.txt' }],
        ['write', { path: 'notes.txt', content: 'x' }],
        ['edit', edit],
      ] as const) {
        const d = await file(tool, args, ctx(mode, sandboxed));
        assert.equal(d.verdict, 'ask', `${tool} in ${mode}${sandboxed ? ' (sandboxed)' : ''}`);
        assert.match(
          d.reason,
          /^notes\.txt has 2 hard links: it may be another name for a file outside the workspace; (reading|changing) it always asks$/,
        );
        assert.equal(d.grant, undefined, 'the ask is repeated each time: no session grant');
      }
    }
  });

  it('a symlink to the hard-linked file asks too (the link is followed)', async () => {
    const d = await file('read', { path: 'alias.txt' }, ctx('full-auto', true));
    assert.equal(d.verdict, 'ask');
    assert.match(d.reason, /notes\.txt has 2 hard links/);
  });

  it('a file with one name and a folder (whose link count is always above one) do not ask', async () => {
    assert.equal((await file('read', { path: 'solo.txt' }, ctx('ask', false))).verdict, 'allow');
    assert.equal((await file('ls', { path: 'dir' }, ctx('ask', false))).verdict, 'allow');
    assert.equal((await file('write', { path: 'solo.txt', content: 'x' }, ctx('full-auto', false))).verdict, 'allow');
    assert.equal(
      (await file('write', { path: 'dir/new.txt', content: 'x' }, ctx('auto-edit', false))).verdict,
      'allow',
    );
  });

  it("grep over the workspace withholds the hard-linked file's lines and names it", async () => {
    const c = ctx('full-auto', true);
    const gate = readApprovalFor(grepTool, {}, { verdict: 'allow', reason: '', details: [] }, c);
    assert.match(gate('notes.txt') ?? '', /^notes\.txt has 2 hard links/);
    assert.equal(gate('solo.txt'), undefined);
    const r = await grepTool.execute(
      { pattern: 'outside-secret' },
      {
        root,
        files: new DiskFiles(),
        processes: nodeProcesses,
        network: nodeNetwork,
        signal: new AbortController().signal,
        env: process.env,
        readNeedsApproval: gate,
      },
    );
    assert.doesNotMatch(r.output, /7731/);
    assert.match(r.output, /^solo\.txt:1: outside-secret is not here\n\n\[1 matching line in 1 file not shown/);
    assert.match(r.output, /notes\.txt has 2 hard links: it may be another name for a file outside the workspace/);
    // Once the user approved grep on notes.txt itself, its lines are shown.
    const asked = readApprovalFor(grepTool, { path: 'notes.txt' }, { verdict: 'ask', reason: '', details: [] }, c);
    assert.equal(asked('notes.txt'), undefined);
  });
});

describe('shell commands naming a hard-linked file', () => {
  const concerns = async (command: string) =>
    (await analyzeCommand(command, { root, home: join(tmp, 'home') })).concerns.filter((c) => c.kind === 'hard_link');

  it('reads, writes, globs and redirections find it; files with one name do not', async () => {
    for (const command of [
      'cat notes.txt',
      'cat alias.txt',
      'cat *.txt',
      'echo x >> notes.txt',
      'sed -i s/a/b/ notes.txt',
      'head -c 10 < notes.txt',
      'cd dir && cat ../notes.txt',
    ]) {
      const found = await concerns(command);
      assert.equal(found.length, 1, command);
      assert.match(found[0]!.detail, /has 2 hard links: it may be another name for a file outside the workspace$/);
    }
    for (const command of ['cat solo.txt', 'ls dir', 'echo x > dir/new.txt', 'cat dir/sub 2>/dev/null']) {
      assert.deepEqual(await concerns(command), [], command);
    }
  });

  it('the engine asks about `cat notes.txt` even in full-auto inside the sandbox', async () => {
    for (const [mode, sandboxed] of MODES) {
      const d = await file('bash', { command: 'cat notes.txt' }, ctx(mode, sandboxed));
      assert.equal(d.verdict, 'ask', `${mode} ${sandboxed}`);
      assert.match(d.reason, /^always asks: notes\.txt has 2 hard links/);
    }
    assert.equal((await file('bash', { command: 'cat solo.txt' }, ctx('full-auto', true))).verdict, 'allow');
  });
});
