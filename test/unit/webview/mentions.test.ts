// The composer's @-mentions: which query the caret is in, what the picker offers, what picking
// inserts, and which attachments a task carries once the user has edited the text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attachmentsIn,
  insertMention,
  isCompactCommand,
  latestResults,
  mentionAt,
  pickerOptions,
  pickerWanted,
  type PickedMention,
} from '../../../webview/src/state/mentions.ts';

test('the query is what follows an @ at a word start, up to the caret', () => {
  assert.deepStrictEqual(mentionAt('fix @', 5), { start: 4, query: '' });
  assert.deepStrictEqual(mentionAt('fix @src/ap', 11), { start: 4, query: 'src/ap' });
  assert.deepStrictEqual(mentionAt('@app', 4), { start: 0, query: 'app' });
  // The caret in the middle of the mention: only what is before it counts.
  assert.deepStrictEqual(mentionAt('fix @src/app.ts now', 8), { start: 4, query: 'src' });
  assert.deepStrictEqual(mentionAt('line one\n@pro', 13), { start: 9, query: 'pro' });
  assert.equal(mentionAt('fix @src/app.ts now', 19), undefined, 'a space ended the mention');
  assert.equal(mentionAt('mail me at a@b.c', 16), undefined, 'an address is not a mention');
  assert.equal(mentionAt('no mention', 10), undefined);
  // A URL being typed is the user's own: no picker.
  assert.ok(!pickerWanted(mentionAt('read @https://example.com/a', 27)));
  assert.ok(!pickerWanted(mentionAt('read @http', 10)));
  assert.ok(pickerWanted(mentionAt('read @h', 7)));
});

test('the picker offers the special mentions that match, then the files the client found', () => {
  const files = [
    { path: 'src/app.ts', kind: 'file' as const },
    { path: 'src', kind: 'folder' as const },
  ];
  assert.deepStrictEqual(
    pickerOptions('', []).map((o) => o.label),
    ['@selection', '@problems', '@git-changes', '@terminal', '@url'],
  );
  assert.deepStrictEqual(
    pickerOptions('PRO', files).map((o) => o.label),
    ['@problems', 'src/app.ts', 'src/'],
  );
  const [file, folder] = pickerOptions('src', files);
  assert.deepStrictEqual(file!.attachment, { kind: 'file', target: 'src/app.ts', token: '@src/app.ts' });
  assert.deepStrictEqual(folder!.attachment, { kind: 'folder', target: 'src', token: '@src/' });
  // @url records nothing: the user types the address after it.
  const url = pickerOptions('u', [])[0]!;
  assert.deepStrictEqual([url.label, url.insert, url.attachment], ['@url', '@https://', undefined]);
});

test('only the answer to the latest search is offered; until it comes the picker is searching', () => {
  const older = { requestId: 3, items: [{ path: 'src/a.ts', kind: 'file' as const }] };
  assert.deepStrictEqual(latestResults(older, 4), { items: [], pending: true });
  assert.deepStrictEqual(latestResults(older, 3), { items: older.items, pending: false });
  assert.deepStrictEqual(latestResults(undefined, 1), { items: [], pending: true });
  assert.deepStrictEqual(latestResults(undefined, 0), { items: [], pending: true }, 'no search asked yet');
});

test('picking replaces the typed @query with the mention and puts the caret after it', () => {
  const [file] = pickerOptions('ap', [{ path: 'src/app.ts', kind: 'file' }]);
  const text = 'fix @ap';
  assert.deepStrictEqual(insertMention(text, mentionAt(text, 7)!, 7, file!), { text: 'fix @src/app.ts ', caret: 16 });
  // In the middle of the text, a space already there is reused.
  const mid = 'fix @ap please';
  assert.deepStrictEqual(insertMention(mid, mentionAt(mid, 7)!, 7, file!), {
    text: 'fix @src/app.ts please',
    caret: 16,
  });
  const url = pickerOptions('url', [])[0]!;
  assert.deepStrictEqual(insertMention('read @url', { start: 5, query: 'url' }, 9, url), {
    text: 'read @https://',
    caret: 14,
  });
});

test('only mentions still in the text are attached, once each, in the order they appear', () => {
  const picked: PickedMention[] = [
    { kind: 'file', target: 'src/app.ts', token: '@src/app.ts' },
    { kind: 'folder', target: 'lib', token: '@lib/' },
    { kind: 'problems', token: '@problems' },
    { kind: 'file', target: 'src/app.tsx', token: '@src/app.tsx' },
  ];
  // @lib/ was deleted; @src/app.tsx was edited into something else; @src/app.ts is there twice.
  const text = 'Fix @problems in @src/app.ts, then check @src/app.ts again and @src/app.tsy';
  assert.deepStrictEqual(attachmentsIn(text, picked), [{ kind: 'problems' }, { kind: 'file', target: 'src/app.ts' }]);
  // A token that is only the start of a longer word does not count.
  assert.deepStrictEqual(attachmentsIn('see @src/app.tsx', picked.slice(0, 1)), []);
  // Special mentions typed by hand count; so do addresses, without trailing punctuation.
  assert.deepStrictEqual(attachmentsIn('@terminal shows it; see @https://example.com/doc.', []), [
    { kind: 'terminal' },
    { kind: 'url', target: 'https://example.com/doc' },
  ]);
  assert.deepStrictEqual(attachmentsIn('write to a@problems.com', []), [], 'not a mention');
  assert.deepStrictEqual(attachmentsIn('nothing here', picked), []);
});

test('/compact alone is the command; inside a task it is text', () => {
  assert.ok(isCompactCommand('/compact'));
  assert.ok(isCompactCommand('  /compact \n'));
  assert.ok(!isCompactCommand('/compact the logs folder'));
  assert.ok(!isCompactCommand('compact'));
});
