// Restricted Mode as the panel says it: when VS Code does not trust the folder (the server enforces
// what that means: read tools only, no project config), and what that leaves and takes away.
import type { PanelState } from './panel.ts';

export const RESTRICTED_TEXT =
  'Agio can read and search this folder and answer questions about it. It cannot edit files, run commands or fetch URLs, ' +
  'and it loads no project config such as .agio/policy.json. Trust the folder to lift these limits.';

/** The folder's trust now (the panel config), not that of the run on screen: the banner says what a
 * new task may do. Unknown until the config arrives, and then not shown. */
export function inRestrictedMode(panel: PanelState): boolean {
  return panel.config?.trusted === false;
}
