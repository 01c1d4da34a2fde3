// Restricted Mode: VS Code does not trust this folder, and the server enforces what that means. The
// banner says it in full once, at the top of the chat, with the way out; the composer stays usable,
// since asking about the code is exactly what an untrusted folder still allows.
import { RESTRICTED_TEXT } from '../state/restricted.ts';
import { post } from '../vscode-api.ts';

export function RestrictedBanner() {
  return (
    <div class="banner restricted" role="note" aria-label="Restricted Mode">
      <i class="codicon codicon-workspace-untrusted" aria-hidden="true" />
      <div class="banner-body">
        <strong>Restricted Mode</strong> — {RESTRICTED_TEXT}
        <div class="banner-actions">
          <button type="button" class="button secondary" onClick={() => post({ type: 'manageTrust' })}>
            <i class="codicon codicon-shield" aria-hidden="true" /> Trust Folder…
          </button>
        </div>
      </div>
    </div>
  );
}
