// The Chat tab: the run as a virtualized list of rows, the first-run prompt when no model is set up,
// and the task box. While an approval is pending, Alt+A / Alt+D / Alt+Shift+A answer it from anywhere
// in the panel, without taking focus from the task box (the hook is used by App, so any tab works).
import { useEffect, useState } from 'preact/hooks';
import type { ApprovalDecisionKind } from '../../../server/src/protocol/events.ts';
import { canAlwaysAllow } from '../state/approval-options.ts';
import { pendingApprovalItems } from '../state/metrics.ts';
import { isAnswerable, type PanelState } from '../state/panel.ts';
import { inRestrictedMode } from '../state/restricted.ts';
import { rowKey } from '../state/streamed-calls.ts';
import { get } from '../../../server/src/protocol/pvec.ts';
import type { RunState, ToolItem } from '../state/types.ts';
import { post } from '../vscode-api.ts';
import { VirtualList } from '../virtual-list.tsx';
import { answerApproval } from './approval.tsx';
import { Composer } from './composer.tsx';
import { ChatRow, estimateHeight } from './items.tsx';
import { RestrictedBanner } from './restricted-banner.tsx';
import { openByDefault } from './tool-card.tsx';

/** The harness can turn windowing off to measure what it saves. */
const VIRTUAL = (globalThis as { __agioOptions?: { virtual?: boolean } }).__agioOptions?.virtual !== false;

function FirstRun() {
  return (
    <div class="first-run">
      <p>Agio needs a model: enter an API key, or point it at a local OpenAI-compatible server such as Ollama.</p>
      <div class="first-run-actions">
        <button type="button" class="button primary" onClick={() => post({ type: 'setKey' })}>
          <i class="codicon codicon-key" aria-hidden="true" /> Enter an API key
        </button>
        <button type="button" class="button secondary" onClick={() => post({ type: 'useLocalEndpoint' })}>
          <i class="codicon codicon-server-environment" aria-hidden="true" /> Use a local endpoint (Ollama)
        </button>
      </div>
    </div>
  );
}

/** The pending approval the keyboard answers: the oldest one this panel can still answer. */
export function shortcutTarget(panel: PanelState, run: RunState | undefined): ToolItem | undefined {
  return run ? pendingApprovalItems(run).find((it) => isAnswerable(panel, it.callId)) : undefined;
}

/** Alt+A / Alt+D / Alt+Shift+A on the whole panel, whichever tab is open; focus stays where it is. */
export function useApprovalShortcuts(run: RunState | undefined, target: ToolItem | undefined): void {
  useEffect(() => {
    if (!run || !target) return;
    const always = canAlwaysAllow(target.approval!);
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      // e.code, not e.key: on macOS Alt+A types "å".
      let decision: ApprovalDecisionKind | undefined;
      if (e.code === 'KeyA') decision = e.shiftKey ? (always ? 'always' : undefined) : 'allow';
      else if (e.code === 'KeyD' && !e.shiftKey) decision = 'deny';
      if (!decision) return;
      e.preventDefault();
      e.stopPropagation();
      answerApproval(run.runId, target, decision);
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [run?.runId, target?.callId, target?.version]);
}

/** Cards the user opened or closed, by run: kept when the Chat tab is left and opened again. */
const toggledByRun = new Map<string, Map<string, boolean>>();

function ChatList({ panel, run }: { panel: PanelState; run: RunState }) {
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(() => toggledByRun.get(run.runId) ?? new Map());
  const target = shortcutTarget(panel, run);
  // Functional update: rows that did not re-render hold an older closure.
  const onToggle = (id: string, open: boolean) =>
    setToggled((t) => {
      const next = new Map(t).set(id, open);
      toggledByRun.set(run.runId, next);
      return next;
    });
  const isOpen = (i: number) => {
    const item = get(run.items, i);
    if (item?.kind !== 'tool') return false;
    return toggled.get(item.id) ?? openByDefault(item);
  };
  return (
    <VirtualList
      class="chat-list"
      label="Run transcript"
      count={run.items.size}
      followBottom
      virtual={VIRTUAL}
      keyOf={(i) => rowKey(get(run.items, i)!)}
      estimate={(i) => estimateHeight(get(run.items, i), isOpen(i))}
      renderRow={(i) => {
        const item = get(run.items, i)!;
        const callId = item.kind === 'tool' ? item.callId : '';
        return (
          <ChatRow
            item={item}
            runId={run.runId}
            expanded={isOpen(i)}
            onToggle={onToggle}
            answerable={item.kind === 'tool' && isAnswerable(panel, callId)}
            answered={panel.answered.has(callId)}
            shortcutTarget={target !== undefined && target.id === item.id}
            markdownReady={panel.markdownReady}
          />
        );
      }}
    />
  );
}

export function ChatView({ panel, run }: { panel: PanelState; run: RunState | undefined }) {
  const needsSetup = panel.config !== undefined && !panel.config.hasKey && !panel.config.baseUrl;
  return (
    <div class="chat">
      {inRestrictedMode(panel) && <RestrictedBanner />}
      {run?.gap && (
        <div class="banner warning" role="alert">
          <i class="codicon codicon-warning" aria-hidden="true" /> Events {run.gap.expected}–{run.gap.got - 1} did not
          arrive; reloading the run from the log…
        </div>
      )}
      {run?.status === 'interrupted' && (
        <div class="banner warning" role="alert">
          <i class="codicon codicon-debug-disconnect" aria-hidden="true" /> This run was interrupted. Resuming continues
          it from its recorded conversation and asks again for anything that was waiting.{' '}
          <button type="button" class="button primary" onClick={() => post({ type: 'resumeRun', runId: run.runId })}>
            <i class="codicon codicon-debug-continue" aria-hidden="true" /> Resume
          </button>
        </div>
      )}
      {needsSetup ? (
        <FirstRun />
      ) : run && run.status !== 'empty' ? (
        <ChatList key={run.runId} panel={panel} run={run} />
      ) : (
        <div class="empty-chat">
          <i class="codicon codicon-sparkle" aria-hidden="true" />
          <p>
            {inRestrictedMode(panel)
              ? 'Ask Agio about this folder: it reads and searches it to answer.'
              : 'Ask Agio for a change. It reads and searches the workspace, edits files and runs commands, asking you first when the approval mode says so.'}
          </p>
        </div>
      )}
      <Composer panel={panel} run={run} disabled={needsSetup} />
    </div>
  );
}
