// The diff a user approves is the bytes that land: over generated files (LF, CRLF, mixed endings, with
// and without a BOM and a final newline) and generated edits and writes, the approval's unified diff
// applied to the original bytes (jsdiff's applyPatch) equals the file on disk after the tool ran.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { applyPatch } from 'diff';
import { previewWrite } from '../../../server/src/policy/preview.ts';
import { editTool } from '../../../server/src/tools/edit.ts';
import type { Tool } from '../../../server/src/tools/types.ts';
import { writeTool } from '../../../server/src/tools/write.ts';
import { makeCtx, tempDir } from './helpers.ts';

/** mulberry32: small, seeded, good enough to spread cases; a failure names its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Endings = 'lf' | 'crlf' | 'mixed';
const WORDS = ['alpha', 'beta', '  gamma', 'δέλτα', '\tindent', 'x = 1;', '', 'émoji 🎉', 'end'];

function generator(seed: number) {
  const r = rng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const line = (): string =>
    Array.from({ length: 1 + int(3) }, () => pick(WORDS))
      .join(' ')
      .trimEnd();
  const eol = (endings: Endings): string =>
    endings === 'lf' ? '\n' : endings === 'crlf' ? '\r\n' : pick(['\n', '\r\n', '\r\n', '\r']);
  /** Text of `n` lines with the given endings, ending in a newline or not. */
  const text = (n: number, endings: Endings, finalNewline: boolean): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += line() + (i < n - 1 || finalNewline ? eol(endings) : '');
    return s;
  };
  const file = () => {
    const endings = pick(['lf', 'crlf', 'mixed'] as const);
    const bom = r() < 0.4;
    const body = text(int(12), endings, r() < 0.5);
    return { endings, bom, bytes: Buffer.from((bom ? '\uFEFF' : '') + body, 'utf8'), body };
  };
  return { r, int, pick, text, file };
}

/** An edit the way a model writes one: a run of the file's own text (often with LF where the file has
 * CRLF), replaced by new lines; sometimes text that is not there at all. */
function editArgs(
  g: ReturnType<typeof generator>,
  body: string,
): { path: string; edits: { old_text: string; new_text: string; replace_all?: boolean }[] } {
  const edits = Array.from({ length: 1 + g.int(2) }, () => {
    let old: string;
    if (body.length === 0 || g.r() < 0.1) old = 'not in the file';
    else {
      const start = g.int(body.length);
      old = body.slice(start, start + 1 + g.int(30));
      if (g.r() < 0.5) old = old.replaceAll('\r\n', '\n');
    }
    const nu = g.text(g.int(3), g.pick(['lf', 'crlf', 'mixed'] as const), g.r() < 0.5);
    return { old_text: old, new_text: nu === old ? `${nu}!` : nu, ...(g.r() < 0.2 ? { replace_all: true } : {}) };
  });
  return { path: 'f.txt', edits };
}

test('the approved diff applied to the original bytes is what the tool wrote (edit and write)', async (t) => {
  const root = tempDir(t);
  const abs = path.join(root, 'f.txt');
  const ctx = makeCtx(root);
  const landed = { edit: 0, write: 0, refused: 0 };
  for (let seed = 1; seed <= 200; seed++) {
    const g = generator(seed);
    const original = g.file();
    const isNew = g.r() < 0.1;
    if (isNew) fs.rmSync(abs, { force: true });
    else fs.writeFileSync(abs, original.bytes);
    const useEdit = !isNew && g.r() < 0.7;
    const tool = (useEdit ? editTool : writeTool) as Tool;
    const args = useEdit
      ? editArgs(g, original.body)
      : {
          path: 'f.txt',
          content:
            (g.r() < 0.2 ? '\uFEFF' : '') + g.text(g.int(8), g.pick(['lf', 'crlf', 'mixed'] as const), g.r() < 0.5),
        };
    const parsed = tool.schema.parse(args);
    const preview = await previewWrite(tool, parsed, ctx);
    const outcome = await tool.execute(parsed, ctx);
    const why = `seed ${seed}: ${tool.name} ${JSON.stringify(args)} on ${JSON.stringify(original.bytes.toString('utf8'))}`;
    assert.ok(preview, why);
    if (!outcome.ok) {
      assert.equal(preview.proposed, undefined, `a call that fails shows no change: ${why}`);
      assert.match(preview.diff, /would fail/, why);
      assert.deepEqual(fs.readFileSync(abs), original.bytes, `a failed edit leaves the file as it was: ${why}`);
      landed.refused++;
      continue;
    }
    const before = isNew ? '' : original.bytes.toString('utf8');
    const patched = applyPatch(before, preview.diff);
    assert.notEqual(patched, false, `the diff applies to the original: ${why}\n${preview.diff}`);
    assert.deepEqual(
      Buffer.from(patched as string, 'utf8'),
      fs.readFileSync(abs),
      `diff applied = bytes on disk: ${why}\n${preview.diff}`,
    );
    assert.equal(preview.proposed?.content, fs.readFileSync(abs, 'utf8'), `the diff editor shows the same: ${why}`);
    landed[tool.name as 'edit' | 'write']++;
  }
  // The generator must exercise what it claims: edits that land, not only refusals.
  assert.ok(landed.edit > 40 && landed.write > 40, JSON.stringify(landed));
});
