// One tool call as a compact card: tool, readable arguments, status and duration in the header; the
// command or diff, the decision, and the output (live while it runs) in the body. Cards fold; a card
// waiting for approval is always open.
import type { ToolItem, ToolStatus } from '../state/types.ts';
import { duration, size } from '../format.ts';
import { commandStop, restoreStep, timingText, toolTiming } from '../state/tool-facts.ts';
import { ApprovalPanel, CommandView } from './approval.tsx';
import { DiffView } from './diff-view.tsx';
import { OutputBlock } from './output-block.tsx';
import { post } from '../vscode-api.ts';

const STATUS: Record<ToolStatus, { icon: string; label: string }> = {
  writing: { icon: 'pencil', label: 'writing…' },
  running: { icon: 'loading codicon-modifier-spin', label: 'running' },
  'waiting-approval': { icon: 'shield', label: 'waiting for approval' },
  ok: { icon: 'pass', label: 'done' },
  error: { icon: 'error', label: 'failed' },
  denied: { icon: 'circle-slash', label: 'denied' },
  interrupted: { icon: 'debug-disconnect', label: 'interrupted' },
};

const TOOL_ICON: Record<string, string> = {
  read: 'file',
  write: 'new-file',
  edit: 'edit',
  bash: 'terminal',
  grep: 'search',
  find: 'search-fuzzy',
  ls: 'folder',
  fetch: 'globe',
};

export interface ToolCardProps {
  runId: string;
  item: ToolItem;
  expanded: boolean;
  onToggle: (id: string, open: boolean) => void;
  answerable: boolean;
  answered: boolean;
  shortcutTarget: boolean;
}

/** Open by default when there is something to see or do: a pending approval, live output, a failure. */
export function openByDefault(item: ToolItem): boolean {
  return (
    item.status === 'waiting-approval' || item.status === 'error' || (item.status === 'running' && item.output !== '')
  );
}

/** Short enough for a 240 px sidebar: the status or how it ended, and the call's own time. */
export function headerMeta(item: ToolItem): string {
  const r = item.result;
  // A call still being written says how far it got, like "writing… 48 KB"; a written one waits its turn.
  if (item.status === 'writing') return `${item.written ? 'queued' : 'writing…'} ${size(item.argsChars ?? 0)}`;
  if (!r) return STATUS[item.status].label;
  if (item.status === 'denied') return 'denied';
  const stop = commandStop(item);
  const exit = stop
    ? `${stop.label} · `
    : r.exitCode !== undefined && r.exitCode !== null && r.exitCode !== 0
      ? `exit ${r.exitCode} · `
      : '';
  return `${exit}${duration(toolTiming(item).ownMs ?? r.durationMs)}`;
}

function Decision({ item }: { item: ToolItem }) {
  const a = item.approval;
  if (a?.decision) {
    const who = a.by === 'user' ? 'you' : a.by === 'headless' ? 'nobody (headless)' : 'the policy';
    const verb =
      a.decision === 'deny'
        ? 'Denied'
        : a.decision === 'allow'
          ? 'Approved'
          : a.decision === 'allow_session'
            ? 'Allowed for the session'
            : 'Always allowed';
    // The server's default reasons only repeat the verb.
    const reason =
      a.decisionReason && !/^(approved|denied) by the user$/.test(a.decisionReason) ? ` — ${a.decisionReason}` : '';
    return (
      <div class={`decision ${a.decision === 'deny' ? 'denied' : 'granted'}`}>
        {verb} by {who}
        {reason}
      </div>
    );
  }
  if (item.policy) {
    const verb = item.policy.decision === 'deny' ? 'Blocked' : 'Allowed';
    return (
      <div class={`decision policy ${item.policy.decision === 'deny' ? 'denied' : ''}`}>
        {verb} by the policy: {item.policy.reason}
      </div>
    );
  }
  return null;
}

function Output({ item }: { item: ToolItem }) {
  const r = item.result;
  if (!r) return <OutputBlock text={item.output} tail={true} />;
  if (item.status === 'denied') return null;
  if (r.stdout !== undefined || r.stderr !== undefined) {
    const stop = commandStop(item);
    return (
      <>
        {stop && (
          <div class="command-stop">
            <i class="codicon codicon-debug-stop" aria-hidden="true" /> {stop.text}
          </div>
        )}
        <OutputBlock text={r.stdout ?? ''} tail={false} />
        <OutputBlock text={r.stderr ?? ''} tail={false} label="stderr" kind="stderr" />
        {r.stdout === '' && r.stderr === '' && (
          <div class="output-more">{stop ? '(no output before it was stopped)' : '(no output)'}</div>
        )}
      </>
    );
  }
  return <OutputBlock text={r.output} tail={false} />;
}

export function ToolCard({ runId, item, expanded, onToggle, answerable, answered, shortcutTarget }: ToolCardProps) {
  const waiting = item.status === 'waiting-approval';
  // A call being written has nothing to show in its body yet.
  const writing = item.status === 'writing';
  const open = (expanded || waiting) && !writing;
  const status = STATUS[item.status];
  const command =
    item.tool === 'bash' && item.args && typeof item.args === 'object'
      ? (item.args as { command?: unknown }).command
      : undefined;
  const timing = timingText(item);
  const step = restoreStep(item);
  return (
    <div class={`tool-card status-${item.status} ${open ? 'open' : ''}`}>
      <button
        type="button"
        class="tool-head"
        aria-expanded={open}
        disabled={waiting || writing}
        onClick={() => onToggle(item.id, !open)}
      >
        <i class={`codicon codicon-chevron-${open ? 'down' : 'right'} twistie`} aria-hidden="true" />
        <i class={`codicon codicon-${TOOL_ICON[item.tool] ?? 'tools'}`} aria-hidden="true" />
        <span class="tool-name">{item.tool}</span>
        <span class="tool-summary" title={item.summary}>
          {item.summary}
        </span>
        <span class="tool-meta" title={timing ? `${status.label}: ${timing}` : status.label}>
          <i class={`codicon codicon-${status.icon} status-icon`} aria-hidden="true" />
          <span class="tool-meta-text">{headerMeta(item)}</span>
        </span>
      </button>
      {open && (
        <div class="tool-body">
          {waiting ? (
            <ApprovalPanel
              runId={runId}
              item={item}
              answerable={answerable}
              answered={answered}
              shortcutTarget={shortcutTarget}
            />
          ) : (
            <>
              {typeof command === 'string' && <CommandView command={command} />}
              {item.approval?.diff !== undefined && <DiffView diff={item.approval.diff} />}
              {typeof command !== 'string' && item.approval?.diff === undefined && !(item.tool in TOOL_ICON) && (
                <pre class="args">{typeof item.args === 'string' ? item.args : JSON.stringify(item.args, null, 2)}</pre>
              )}
              <Decision item={item} />
              {timing && <div class="tool-timing">{timing.charAt(0).toUpperCase() + timing.slice(1)}</div>}
              <Output item={item} />
              {step !== undefined && (
                <button
                  type="button"
                  class="button secondary restore"
                  title={restoreTitle(item)}
                  onClick={() => post({ type: 'restoreCheckpoint', runId, step })}
                >
                  <i class="codicon codicon-discard" aria-hidden="true" /> Restore to before this step…
                </button>
              )}
              {item.result?.truncated && <div class="output-more">The output was truncated for the model.</div>}
            </>
          )}
        </div>
      )}
    </div>
  );
}

function restoreTitle(item: ToolItem): string {
  const changed =
    item.changedFiles === undefined
      ? ''
      : `This step changed ${item.changedFiles} file${item.changedFiles === 1 ? '' : 's'}. `;
  return `${changed}Shows what would change before anything is restored.`;
}
