// The rules a user grants by answering "always", kept in the user's own config and keyed by the
// workspace's real path: ~/.config/agio/workspace-policy.json (XDG_CONFIG_HOME honoured). They are
// never written into the workspace: a file in a cloned repository must never be what widens Agio's
// policy, and a grant for one project must not leak into another.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { applyEdits, modify, parse as parseJsonc } from 'jsonc-parser';
import { z } from 'zod';
import { readJsoncFile } from '../config/jsonc-file.ts';

export type RuleGroup = 'commands' | 'paths' | 'network';

export function grantedRulesFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'agio', 'workspace-policy.json');
}

/** The key a workspace's rules live under: its real path, so a symlinked or relative route to the
 * same folder finds the same rules, and `/home/u/proj-evil` never matches `/home/u/proj`. */
export function workspaceKey(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

const ByWorkspace = z.record(z.string(), z.unknown());

/** The raw entry for one workspace (validated by the caller), or a warning about the file. */
export function readGrantedRules(
  file: string,
  workspace: string,
): { entry: unknown } | { warning: string | undefined } {
  const loaded = readJsoncFile(file, ByWorkspace, 'granted rules');
  if ('warning' in loaded) return loaded;
  return { entry: loaded.data[workspace] };
}

const HEADER =
  '// Rules you granted by answering "always" at an Agio prompt, per workspace (its real path).\n' +
  '// Yours to edit: each entry has the shape of policy.json (see the README, "Rules file").\n';

/**
 * Adds rules under the workspace's entry, keeping the file's comments and formatting. The file is
 * replaced atomically (temp file, rename), so another Agio process reading it never sees half of it.
 */
export function addGrantedRules(
  file: string,
  workspace: string,
  group: RuleGroup,
  verdict: 'allow' | 'ask' | 'deny',
  rules: string[],
): void {
  let text = `${HEADER}{\n}\n`;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const current = (parseJsonc(text, [], { allowTrailingComma: true }) ?? {}) as Record<
    string,
    Partial<Record<string, Partial<Record<string, string[]>>>> | undefined
  >;
  const existing = current[workspace]?.[group]?.[verdict] ?? [];
  const fresh = rules.filter((r) => !existing.includes(r));
  if (fresh.length === 0) return;
  const edits = modify(text, [workspace, group, verdict], [...existing, ...fresh], {
    formattingOptions: { insertSpaces: true, tabSize: 2 },
  });
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, applyEdits(text, edits));
  renameSync(tmp, file);
}
