// Chips for the context a run gave the model: on the task's row for what it came with, on a row of its
// own for rules found mid-run. A chip opens what it points at (through the client); one that could
// not be read is marked and says why.
import type { ContextItem } from '../../../server/src/protocol/events.ts';
import { tokens } from '../format.ts';
import { post } from '../vscode-api.ts';

const ICON: Record<ContextItem['kind'], string> = {
  file: 'file',
  folder: 'folder',
  selection: 'selection',
  problems: 'warning',
  'git-changes': 'git-compare',
  terminal: 'terminal',
  url: 'globe',
  rules: 'law',
};

function tooltip(c: ContextItem): string {
  const size = `${c.chars.toLocaleString('en-US')} characters (~${tokens(Math.ceil(c.chars / 4))} tokens) given to the model`;
  return [
    c.target ?? c.label,
    c.ok ? size : `not attached: ${c.note ?? 'could not be read'}`,
    c.ok && c.note ? c.note : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A selection chip's label carries its line range (`src/app.ts:10-20`): sent along so the editor
 * can reveal it. */
function openTarget(c: ContextItem): string | undefined {
  if (c.kind === 'selection' && c.target !== undefined) {
    const range = /:(\d+(?:-\d+)?)$/.exec(c.label);
    if (range) return `${c.target}:${range[1]}`;
  }
  return c.target;
}

const defined = (target: string | undefined) => (target !== undefined ? { target } : {});

export function ContextChips({ runId, items }: { runId: string; items: readonly ContextItem[] }) {
  return (
    <div class="context-chips" role="group" aria-label="Context given to the model">
      {items.map((c, i) => (
        <button
          type="button"
          key={`${i}:${c.kind}:${c.target ?? c.label}`}
          class={`context-chip ${c.ok ? '' : 'failed'}`}
          title={tooltip(c)}
          onClick={() => post({ type: 'openContext', runId, kind: c.kind, ...defined(openTarget(c)) })}
        >
          <i class={`codicon codicon-${c.ok ? ICON[c.kind] : 'error'}`} aria-hidden="true" />
          <span class="chip-label">{c.label}</span>
          {!c.ok && c.note && <span class="chip-note">{c.note}</span>}
        </button>
      ))}
    </div>
  );
}
