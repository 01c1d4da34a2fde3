// Restricted Mode: VS Code does not trust this folder, and the server enforces what that means. The
// banner says it in full once, at the top of the chat, with the way out; the composer stays usable,
// since asking about the code is exactly what an untrusted folder still allows.
import { post } from '../vscode-api.ts';

export const RESTRICTED_TEXT =
  'Agio can read and search this folder and answer questions about it. It cannot edit files, run commands or fetch URLs, ' +
  'and it loads no project config such as .agio/policy.json. Trust the folder to lift these limits.';

export function RestrictedBanner() {
  return (
    <div class="banner restricted" role="note" aria-label="Restricted Mode">
      <i class="codicon codicon-workspace-untrusted" aria-hidden="true" />
      <div class="banner-body">
        <strong>Restricted Mode</strong> — {RESTRICTED_TEXT}
        <div class="banner-actions">
          <button class="button secondary" onClick={() => post({ type: 'manageTrust' })}>
            <i class="codicon codicon-shield" aria-hidden="true" /> Trust Folder…
          </button>
        </div>
      </div>
    </div>
  );
}
