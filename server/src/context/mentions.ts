// @-mentions in a task's text, for the CLI (the panel sends its mentions as attachments already).
// `@selection`, `@problems`, `@git-changes`, `@terminal`, `@https://…` are keywords; `@path` counts
// only when the path exists in the workspace, so an e-mail address or `@decorator` stays plain text.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Attachment } from '../protocol/methods.ts';
import { resolveInWorkspace } from '../workspace/paths.ts';

const KEYWORDS = new Set(['selection', 'problems', 'git-changes', 'terminal']);
// A mention starts the text or follows whitespace or an opening bracket/quote; it ends at whitespace
// or at punctuation that ends a sentence.
const MENTION = /(?<=^|[\s(["'`])@((?:https?:\/\/)?[^\s"'`()<>]+)/g;

export function parseMentions(text: string, root: string): Attachment[] {
  const out: Attachment[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const raw = m[1]!.replace(/[.,;:!?]+$/, '');
    const key = raw;
    if (seen.has(key)) continue;
    const a = toAttachment(raw, root);
    if (!a) continue;
    seen.add(key);
    out.push(a);
  }
  return out;
}

function toAttachment(raw: string, root: string): Attachment | undefined {
  if (KEYWORDS.has(raw)) return { kind: raw as Attachment['kind'] };
  if (/^https?:\/\//.test(raw)) return { kind: 'url', target: raw };
  const r = resolveInWorkspace(root, raw);
  // Outside paths are not attached; the resolver will say so if the panel ever sends one.
  if (!r.ok || !existsSync(r.abs)) return undefined;
  const rel = r.rel === '' ? '.' : r.rel.split(path.sep).join('/');
  return { kind: statSync(r.abs).isDirectory() ? 'folder' : 'file', target: rel };
}
