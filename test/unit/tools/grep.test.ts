import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readApprovalFor } from '../../../server/src/policy/engine.ts';
import { grepTool } from '../../../server/src/tools/grep.ts';
import { call, makeCtx, policyCtx, tempDir, writeFiles } from './helpers.ts';

test('matches come as path:line: text, sorted by path; ignored files are skipped', async (t) => {
  const root = tempDir(t);
  writeFiles(root, {
    '.gitignore': 'build/\n',
    'b.ts': 'const needle = 1;\nother\n',
    'a/x.ts': 'no\nneedle here\n',
    'build/gen.ts': 'needle\n',
  });
  const r = await call(grepTool, { pattern: 'needle' }, makeCtx(root));
  assert.deepEqual(r, { ok: true, output: 'a/x.ts:2: needle here\nb.ts:1: const needle = 1;' });
});

test('context lines use path-line- and groups are separated by --', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'f.txt': 'a\nhit 1\nb\nc\nd\ne\nhit 2\nf\n' });
  const r = await call(grepTool, { pattern: 'hit', context: 1 }, makeCtx(root));
  assert.equal(r.output, 'f.txt-1- a\nf.txt:2: hit 1\nf.txt-3- b\n--\nf.txt-6- e\nf.txt:7: hit 2\nf.txt-8- f');
});

test('two pages cover every match exactly once', async (t) => {
  const root = tempDir(t);
  // 7 matching lines over 3 files, plus non-matching lines in between.
  writeFiles(root, {
    'a.txt': 'm1\nx\nm2\n',
    'b.txt': 'm3\nm4\nm5\n',
    'c.txt': 'y\nm6\nm7\n',
  });
  const ctx = makeCtx(root);
  const p1 = await call(grepTool, { pattern: '^m\\d', limit: 4 }, ctx);
  assert.equal(p1.truncated, true);
  assert.ok(p1.nextCursor);
  assert.equal(
    p1.output,
    'a.txt:1: m1\na.txt:3: m2\nb.txt:1: m3\nb.txt:2: m4\n\n' +
      `[Showing matches 1-4. More exist: call grep again with cursor "${p1.nextCursor}".]`,
  );
  const p2 = await call(grepTool, { pattern: '^m\\d', limit: 4, cursor: p1.nextCursor }, ctx);
  assert.equal(p2.nextCursor, undefined);
  assert.equal(p2.output, 'b.txt:3: m5\nc.txt:2: m6\nc.txt:3: m7\n\n[Matches 5-7; no more matches.]');
  const all = [p1.output, p2.output]
    .join('\n')
    .split('\n')
    .filter((l) => /:\d+: /.test(l))
    .map((l) => l.split(': ')[1]);
  assert.deepEqual(all, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
});

test('a cursor from another search is refused', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'x\nx\nx\n' });
  const ctx = makeCtx(root);
  const p1 = await call(grepTool, { pattern: 'x', limit: 1 }, ctx);
  const other = await call(grepTool, { pattern: 'y', cursor: p1.nextCursor }, ctx);
  assert.equal(other.ok, false);
  assert.match(other.output, /cursor belongs to a different search/);
  assert.match(
    (await call(grepTool, { pattern: 'x', cursor: 'garbage' }, ctx)).output,
    /cursor is not one grep returned/,
  );
});

test("no matches is ok; an invalid regex is an error with rg's message", async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'hello\n' });
  const ctx = makeCtx(root);
  assert.deepEqual(await call(grepTool, { pattern: 'absent' }, ctx), {
    ok: true,
    output: 'No matches for /absent/ in the workspace.',
  });
  const bad = await call(grepTool, { pattern: 'fo(o' }, ctx);
  assert.equal(bad.ok, false);
  assert.match(bad.output, /^Invalid regular expression: rg: regex parse error:[\s\S]*unclosed group/);
});

test('ignore_case, glob and path narrow the search', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'src/a.ts': 'Foo\n', 'src/b.md': 'foo\n', 'lib/c.ts': 'foo\n' });
  const ctx = makeCtx(root);
  assert.equal(
    (await call(grepTool, { pattern: 'foo', ignore_case: true, glob: '*.ts' }, ctx)).output,
    'lib/c.ts:1: foo\nsrc/a.ts:1: Foo',
  );
  assert.equal((await call(grepTool, { pattern: 'foo', path: 'src' }, ctx)).output, 'src/b.md:1: foo');
  assert.equal((await call(grepTool, { pattern: 'foo', path: 'src/b.md' }, ctx)).output, 'src/b.md:1: foo');
  assert.match((await call(grepTool, { pattern: 'foo', path: '../..' }, ctx)).output, /outside the workspace/);
});

test('matches in .env are withheld and counted, not shown: a search is no way around read asking', async (t) => {
  const root = tempDir(t);
  writeFiles(root, {
    '.env': 'API_KEY=hunter2-secret\nOTHER=1\nAPI_KEY_2=swordfish\n',
    'src/config.ts': 'const key = process.env.API_KEY;\n',
    '.env.example': 'API_KEY=your-key-here\n',
  });
  const r = await call(grepTool, { pattern: 'API_KEY' }, makeCtx(root));
  assert.deepEqual(r, {
    ok: true,
    output:
      '.env.example:1: API_KEY=your-key-here\nsrc/config.ts:1: const key = process.env.API_KEY;\n\n' +
      "[2 matching lines in 1 file not shown, because reading it needs the user's approval: .env is an " +
      'environment file with secrets (.env): reading credentials always asks (2). To see them, grep or read ' +
      'such a file by its own path: the user is asked.]',
  });
  assert.doesNotMatch(r.output, /hunter2|swordfish/);
  // Context lines from such a file are withheld too, and a search only it matches says so.
  const only = await call(grepTool, { pattern: 'OTHER', context: 1 }, makeCtx(root));
  assert.doesNotMatch(only.output, /hunter2|swordfish/);
  assert.match(
    only.output,
    /^No matches that can be shown for \/OTHER\/ in the workspace\.\n\n\[1 matching line in 1 file not shown/,
  );
});

test('grep on .env itself, once the user approved it, shows its lines; path rules withhold like read', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { '.env': 'TOKEN=abc\n', 'secret/notes.txt': 'TOKEN is rotated\n', 'a.txt': 'TOKEN\n' });
  const asked = { verdict: 'ask' as const, reason: 'reading credentials always asks', details: [] };
  const approved = readApprovalFor(grepTool, { path: '.env' }, asked, policyCtx(root));
  const r = await call(grepTool, { pattern: 'TOKEN', path: '.env' }, makeCtx(root, { readNeedsApproval: approved }));
  assert.deepEqual(r, { ok: true, output: '.env:1: TOKEN=abc' });

  const allowed = { verdict: 'allow' as const, reason: '', details: [] };
  const rules = policyCtx(root, { ask: ['secret/**'] });
  const gate = readApprovalFor(grepTool, {}, allowed, rules);
  const all = await call(grepTool, { pattern: 'TOKEN' }, makeCtx(root, { readNeedsApproval: gate }));
  assert.equal(
    all.output,
    "a.txt:1: TOKEN\n\n[2 matching lines in 2 files not shown, because reading them needs the user's approval: " +
      '.env is an environment file with secrets (.env): reading credentials always asks (1); path rule "ask ' +
      'secret/**" matches secret/notes.txt (1). To see them, grep or read such a file by its own path: the user is asked.]',
  );
});

test('grep stops on Stop and gives up at its time limit', async (t) => {
  const root = tempDir(t);
  writeFiles(root, { 'a.txt': 'x\n' });
  const stop = new AbortController();
  stop.abort();
  const r = await call(grepTool, { pattern: 'x' }, makeCtx(root, { signal: stop.signal }));
  assert.deepEqual(r, { ok: false, output: 'grep was stopped: the run was cancelled.' });
  // A limit of 0 ms runs out before rg has even started.
  const slow = await call(grepTool, { pattern: 'x' }, makeCtx(root, { timeLimitMs: 0 }));
  assert.deepEqual(slow, {
    ok: false,
    output:
      'grep gave up after 0 ms (its time limit) before the search finished. Try again with a narrower path or pattern.',
  });
});
