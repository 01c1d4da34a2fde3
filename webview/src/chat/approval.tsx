// The inline approval on a pending tool card: what exactly would happen (the command with hidden
// characters revealed, or the diff), why the policy asks, and Approve / Deny / Always allow with an
// optional reason told to the model on denial. Keyboard shortcuts work from anywhere in the panel
// without moving focus (see useApprovalShortcuts in chat-view.tsx).
import { useState } from 'preact/hooks';
import type { ApprovalDecisionKind } from '../../../server/src/protocol/events.ts';
import { canAlwaysAllow } from '../state/approval-options.ts';
import type { ToolItem } from '../state/types.ts';
import { dispatch } from '../store.ts';
import { countHidden } from '../text/visible-chars.ts';
import { post } from '../vscode-api.ts';
import { DiffView } from './diff-view.tsx';
import { VisibleText } from './visible-text.tsx';

/** Deny reasons being typed, by callId: they survive the card scrolling out of the window. */
const denyDrafts = new Map<string, string>();

export function answerApproval(runId: string, item: ToolItem, decision: ApprovalDecisionKind): void {
  const feedback = decision === 'deny' ? denyDrafts.get(item.callId)?.trim() : undefined;
  post({ type: 'approve', runId, callId: item.callId, decision, ...(feedback ? { feedback } : {}) });
  denyDrafts.delete(item.callId);
  dispatch({ type: 'ui/answered', callId: item.callId });
}

export function CommandView({ command }: { command: string }) {
  const hidden = countHidden(command);
  return (
    <div class="command-block">
      {hidden > 0 && (
        <div class="hidden-warning">
          <i class="codicon codicon-warning" aria-hidden="true" /> {hidden} hidden character{hidden === 1 ? '' : 's'},
          shown as escapes
        </div>
      )}
      <pre class="command">
        <VisibleText text={command} />
      </pre>
    </div>
  );
}

export interface ApprovalProps {
  runId: string;
  item: ToolItem;
  answerable: boolean;
  answered: boolean;
  /** This card is the one the keyboard shortcuts answer. */
  shortcutTarget: boolean;
}

export function ApprovalPanel({ runId, item, answerable, answered, shortcutTarget }: ApprovalProps) {
  const a = item.approval!;
  const always = canAlwaysAllow(a);
  const [reason, setReason] = useState(denyDrafts.get(item.callId) ?? '');
  const command =
    item.tool === 'bash' && item.args && typeof item.args === 'object'
      ? (item.args as { command?: unknown }).command
      : undefined;
  return (
    <div class="approval" role="group" aria-label={`Approve ${item.tool}?`}>
      <div class="approval-title">
        <i class="codicon codicon-shield" aria-hidden="true" />
        <strong>Allow this {a.tier} call?</strong>
      </div>
      <div class="approval-reason">{a.reason}</div>
      {a.details.length > 0 && (
        <ul class="approval-details">
          {a.details.map((d, i) => (
            <li key={i}>
              <VisibleText text={d} />
            </li>
          ))}
        </ul>
      )}
      {typeof command === 'string' && <CommandView command={command} />}
      {a.diff !== undefined && (
        <>
          <DiffView diff={a.diff} />
          <button
            type="button"
            class="link-button"
            onClick={() => post({ type: 'openDiff', runId, callId: item.callId })}
          >
            <i class="codicon codicon-diff" aria-hidden="true" /> Open in a diff editor
          </button>
        </>
      )}
      {typeof command !== 'string' && a.diff === undefined && (
        <pre class="command">
          <VisibleText text={a.summary} />
        </pre>
      )}
      {answerable ? (
        <>
          <input
            class="deny-reason"
            type="text"
            value={reason}
            aria-label="Reason for denying (optional)"
            placeholder="Why not? Told to the model if you deny (Enter denies)"
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              setReason(v);
              denyDrafts.set(item.callId, v);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.isComposing) {
                e.preventDefault();
                answerApproval(runId, item, 'deny');
              }
            }}
          />
          <div class="approval-actions">
            <button type="button" class="button primary" onClick={() => answerApproval(runId, item, 'allow')}>
              <i class="codicon codicon-check" aria-hidden="true" /> Approve
            </button>
            <button type="button" class="button secondary" onClick={() => answerApproval(runId, item, 'deny')}>
              <i class="codicon codicon-close" aria-hidden="true" /> Deny
            </button>
            {always && (
              <button
                type="button"
                class="button secondary"
                title="Allow calls like this from now on (saves a rule)"
                onClick={() => answerApproval(runId, item, 'always')}
              >
                <i class="codicon codicon-check-all" aria-hidden="true" /> Always allow
              </button>
            )}
          </div>
          {shortcutTarget && (
            <div class="approval-keys">
              <kbd>Alt</kbd>+<kbd>A</kbd> approve · <kbd>Alt</kbd>+<kbd>D</kbd> deny
              {always && (
                <>
                  {' '}
                  · <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>A</kbd> always allow
                </>
              )}
            </div>
          )}
        </>
      ) : (
        <div class="approval-sent">
          <i class={`codicon codicon-${answered ? 'loading codicon-modifier-spin' : 'info'}`} aria-hidden="true" />
          {answered ? ' Answer sent, waiting for the server…' : ' The server is not waiting for this answer any more.'}
        </div>
      )}
    </div>
  );
}
