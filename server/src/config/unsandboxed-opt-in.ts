// The per-workspace opt-in to unsandboxed full-auto: workspace folders listed in the user's own
// ~/.config/agio/unsandboxed-full-auto.json. Only the user's config folder is read, never anything
// inside a workspace: a repository must not be able to let its own code run unconfined.
import { homedir } from 'node:os';
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { z } from 'zod';
import { readJsoncFile } from './jsonc-file.ts';

const OptInFile = z.object({ workspaces: z.array(z.string()).default([]) }).strict();

export function unsandboxedOptInFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'agio', 'unsandboxed-full-auto.json');
}

/** Whether the user listed `root` (a realpath) for unsandboxed full-auto; a warning when the file is broken. */
export function workspaceOptedIn(root: string, env: NodeJS.ProcessEnv): { optedIn: boolean; warning?: string } {
  const file = unsandboxedOptInFile(env);
  const loaded = readJsoncFile(file, OptInFile, 'settings');
  if ('warning' in loaded) return { optedIn: false, ...(loaded.warning ? { warning: loaded.warning } : {}) };
  const listed = loaded.data.workspaces.some((w) => {
    try {
      return realpathSync(w) === root;
    } catch {
      return false;
    }
  });
  return { optedIn: listed };
}
