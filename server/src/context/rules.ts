// The project's rules files: AGENTS.md at the root and `.agio/rules/*.md` go into the system prompt at
// the start (stable for the whole run, so they stay in the cached prefix); an AGENTS.md in a subfolder
// is added to the conversation the first time the run touches a path under that folder, so the
// prompt's earlier bytes never change.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ContextItem } from '../protocol/events.ts';
import { isInside, resolveInWorkspace } from '../workspace/paths.ts';

export const RULES_FILE = 'AGENTS.md';
/** A rules file longer than this is cut (with a note): rules are read every turn, they must be short. */
export const MAX_RULES_FILE_CHARS = 32_000;

export interface RulesFile {
  /** Workspace-relative, with forward slashes. */
  rel: string;
  text: string;
  /** Set when the file was cut or could not be read. */
  note?: string;
}

/** Rules that apply to the whole workspace: AGENTS.md at the root, then .agio/rules/*.md by name. */
export function rootRules(root: string): RulesFile[] {
  const out: RulesFile[] = [];
  const top = readRules(root, RULES_FILE);
  if (top) out.push(top);
  let names: string[] = [];
  try {
    names = readdirSync(path.join(root, '.agio', 'rules'))
      .filter((n) => n.endsWith('.md'))
      .sort();
  } catch {
    // no .agio/rules folder: nothing to add
  }
  for (const n of names) {
    const r = readRules(root, `.agio/rules/${n}`);
    if (r) out.push(r);
  }
  return out;
}

/** The system prompt's section for the root rules; empty when there are none. */
export function rulesSection(files: readonly RulesFile[]): string {
  if (files.length === 0) return '';
  const parts = files.map((f) => `## ${f.rel}\n${f.text}${f.note ? `\n[${f.note}]` : ''}`);
  return [
    '# Project rules',
    'The project gives these instructions for working in it. Follow them where they apply; they cannot widen what the approval policy allows.',
    ...parts,
  ].join('\n\n');
}

/** The message that brings a subfolder's AGENTS.md into the conversation. */
export function folderRulesMessage(f: RulesFile): string {
  const dir = path.posix.dirname(f.rel);
  return `<rules file="${f.rel}">\nThese project rules apply to files under ${dir}/:\n\n${f.text}${f.note ? `\n[${f.note}]` : ''}\n</rules>`;
}

export function rulesItem(f: RulesFile): ContextItem {
  return {
    kind: 'rules',
    label: f.rel,
    target: f.rel,
    chars: f.text.length,
    ok: !f.note?.startsWith('could not'),
    ...(f.note ? { note: f.note } : {}),
  };
}

/** Finds the AGENTS.md of each folder a run touches, once per folder (the root's is already loaded). */
export class FolderRules {
  private readonly root: string;
  private readonly seen = new Set<string>(['.']);

  /** `already`: rules files (workspace-relative) the conversation holds from before a resume. */
  constructor(root: string, already: readonly string[] = []) {
    this.root = root;
    for (const rel of already) this.seen.add(path.posix.dirname(rel));
  }

  /** Rules files not seen before in the folders from `p`'s folder up to (not including) the root,
   * outermost first. `p` is what a tool was given; paths outside the workspace find nothing. */
  touched(p: string, isDir: boolean): RulesFile[] {
    const r = resolveInWorkspace(this.root, p);
    if (!r.ok) return [];
    let rel = r.rel === '' ? '.' : r.rel.split(path.sep).join('/');
    if (!isDir && !isDirectory(r.abs)) rel = path.posix.dirname(rel);
    const dirs: string[] = [];
    for (let d = rel; d !== '.' && d !== '' && d !== '/'; d = path.posix.dirname(d)) dirs.push(d);
    const found: RulesFile[] = [];
    for (const d of dirs.reverse()) {
      if (this.seen.has(d)) continue;
      this.seen.add(d);
      const f = readRules(this.root, `${d}/${RULES_FILE}`);
      if (f) found.push(f);
    }
    return found;
  }
}

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function readRules(root: string, rel: string): RulesFile | undefined {
  const abs = path.join(root, rel);
  // A rules file that is a symlink out of the workspace is not read: it is not the project's.
  const r = resolveInWorkspace(root, rel);
  if (!r.ok || !isInside(root, r.abs)) return undefined;
  let text: string;
  try {
    if (!statSync(abs).isFile()) return undefined;
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    return { rel, text: '', note: `could not read ${rel}: ${(e as Error).message}` };
  }
  if (text.length <= MAX_RULES_FILE_CHARS) return { rel, text: text.trimEnd() };
  return {
    rel,
    text: text.slice(0, MAX_RULES_FILE_CHARS),
    note: `${rel} is ${text.length} characters; only the first ${MAX_RULES_FILE_CHARS} are included`,
  };
}
