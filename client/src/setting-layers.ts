// A workspace's .vscode/settings.json may make Agio stricter than the user's own settings, never
// looser: a cloned repository must not switch itself to full-auto or lift the user's budgets. Pure, so
// it is unit-tested without VS Code; config.ts reads the layers with `inspect`.
import type { ApprovalMode } from '../../server/src/protocol/events.ts';

/** A setting's value in the user's settings (or its default) and in the workspace's, if set there. */
export interface SettingLayers<T> {
  user: T;
  workspace: T | undefined;
}

const MODES: readonly ApprovalMode[] = ['read-only', 'ask', 'auto-edit', 'full-auto'];

/** The workspace's approval mode when it is stricter than the user's; the user's otherwise. */
export function strictestApproval({ user, workspace }: SettingLayers<unknown>): ApprovalMode {
  const u = MODES.includes(user as ApprovalMode) ? (user as ApprovalMode) : 'ask';
  const w = MODES.includes(workspace as ApprovalMode) ? (workspace as ApprovalMode) : undefined;
  return w !== undefined && MODES.indexOf(w) < MODES.indexOf(u) ? w : u;
}

/** A budget (0: none): the workspace may set a lower one than the user's, never lift or remove it. */
export function lowestBudget({ user, workspace }: SettingLayers<unknown>): number {
  const u = typeof user === 'number' && user > 0 ? user : 0;
  const w = typeof workspace === 'number' && workspace > 0 ? workspace : 0;
  if (u === 0) return w;
  return w === 0 ? u : Math.min(u, w);
}

/** A switch only the user may turn on (agio.allowUnsandboxedFullAuto): the workspace's value is
 * ignored whatever it says, so a repository cannot let its own code run unconfined. The setting's
 * "machine" scope keeps it out of workspace settings in the editor too; this holds if that slips. */
export function userOnlySwitch({ user }: SettingLayers<unknown>): boolean {
  return user === true;
}
