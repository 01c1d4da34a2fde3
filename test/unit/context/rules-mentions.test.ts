import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { workspace } from './temp-workspace.ts';
import { FolderRules, MAX_RULES_FILE_CHARS, rootRules, rulesSection } from '../../../server/src/context/rules.ts';
import { parseMentions } from '../../../server/src/context/mentions.ts';

test('root rules: AGENTS.md, then .agio/rules/*.md by name; long files are cut with a note', () => {
  const w = workspace({
    'AGENTS.md': 'root\n',
    '.agio/rules/z.md': 'z',
    '.agio/rules/a.md': 'a',
    '.agio/rules/skip.txt': 'no',
    'big/AGENTS.md': 'x',
  });
  try {
    assert.deepEqual(
      rootRules(w.root).map((r) => r.rel),
      ['AGENTS.md', '.agio/rules/a.md', '.agio/rules/z.md'],
    );
    writeFileSync(join(w.root, 'AGENTS.md'), 'y'.repeat(MAX_RULES_FILE_CHARS + 10));
    const [top] = rootRules(w.root);
    assert.equal(top!.text.length, MAX_RULES_FILE_CHARS);
    assert.match(top!.note ?? '', /only the first/);
    assert.match(rulesSection(rootRules(w.root)), /^# Project rules\n[\s\S]*## \.agio\/rules\/a\.md\na/);
    assert.equal(rulesSection([]), '');
  } finally {
    w.done();
  }
});

test('folder rules come once per folder, outermost first, only for folders a path is in', () => {
  const w = workspace({
    'AGENTS.md': 'root',
    'a/AGENTS.md': 'a',
    'a/b/AGENTS.md': 'ab',
    'a/b/c/file.ts': '',
    'a/x.ts': '',
    'other/y.ts': '',
  });
  try {
    const f = new FolderRules(w.root);
    assert.deepEqual(
      f.touched('a/b/c/file.ts', false).map((r) => r.rel),
      ['a/AGENTS.md', 'a/b/AGENTS.md'],
    );
    assert.deepEqual(f.touched('a/x.ts', false), []);
    assert.deepEqual(f.touched('other/y.ts', false), []);
    assert.deepEqual(f.touched('../outside', false), []);
    assert.deepEqual(
      new FolderRules(w.root).touched('a', true).map((r) => r.rel),
      ['a/AGENTS.md'],
      'a folder itself counts',
    );
  } finally {
    w.done();
  }
});

test('a rules file that is a symlink out of the workspace is not read', () => {
  const outside = workspace({ 'secret.md': 'do evil' });
  const w = workspace({ 'a/x.ts': '' });
  try {
    symlinkSync(join(outside.root, 'secret.md'), join(w.root, 'AGENTS.md'));
    symlinkSync(join(outside.root, 'secret.md'), join(w.root, 'a', 'AGENTS.md'));
    assert.deepEqual(rootRules(w.root), []);
    assert.deepEqual(new FolderRules(w.root).touched('a/x.ts', false), []);
  } finally {
    w.done();
    outside.done();
  }
});

test('mentions: keywords, URLs, existing paths; not e-mail addresses, decorators or missing files', () => {
  const w = workspace({ 'src/app.ts': '', 'docs/a.md': '' });
  try {
    const got = parseMentions(
      'fix @src/app.ts, see (@docs/) and @problems; @https://x.dev/a?b=1. mail a@b.com @Component @nope.ts @selection @src/app.ts',
      w.root,
    );
    assert.deepEqual(got, [
      { kind: 'file', target: 'src/app.ts' },
      { kind: 'folder', target: 'docs' },
      { kind: 'problems' },
      { kind: 'url', target: 'https://x.dev/a?b=1' },
      { kind: 'selection' },
    ]);
    assert.deepEqual(parseMentions('@../etc/passwd', w.root), []);
  } finally {
    w.done();
  }
});
