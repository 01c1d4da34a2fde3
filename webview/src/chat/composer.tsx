// The task box: Enter sends, Shift+Enter is a newline (IME composition is left alone); a Stop button
// replaces Send while the run is going. The draft survives the panel being hidden.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PanelState } from '../state/panel.ts';
import type { RunState } from '../state/types.ts';
import { dispatch } from '../store.ts';
import { post, savedUi, saveUi } from '../vscode-api.ts';

const MAX_ROWS = 10;
let appliedPrefill = 0;

export function Composer({ panel, run, disabled }: { panel: PanelState; run: RunState | undefined; disabled: boolean }) {
  const [text, setText] = useState(() => savedUi().draft ?? '');
  const box = useRef<HTMLTextAreaElement>(null);
  const running = run?.status === 'running';

  useEffect(() => {
    // Applied once: the box remounts when the Chat tab is opened again, and must keep the draft then.
    if (!panel.prefill || panel.prefill.n <= appliedPrefill) return;
    appliedPrefill = panel.prefill.n;
    setText(panel.prefill.text);
    saveUi({ draft: panel.prefill.text });
    box.current?.focus();
  }, [panel.prefill?.n]);

  const send = () => {
    const task = text.trim();
    if (!task || running || disabled) return;
    post({ type: 'startTask', task });
    dispatch({ type: 'ui/starting' });
    setText('');
    saveUi({ draft: '' });
  };
  const rows = Math.min(MAX_ROWS, Math.max(2, text.split('\n').length));
  return (
    <div class="composer">
      <textarea
        ref={box} value={text} rows={rows} disabled={disabled} aria-label="Task for Agio"
        placeholder={running ? 'Agio is working. Stop it to start another task.' : 'Describe a change. Enter sends, Shift+Enter adds a line.'}
        onInput={(e) => {
          const v = (e.target as HTMLTextAreaElement).value;
          setText(v);
          saveUi({ draft: v });
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey) {
            e.preventDefault();
            send();
          }
        }}
      />
      {running ? (
        <button class="button danger" title="Stop the run now" onClick={() => post({ type: 'cancel', runId: run!.runId })}>
          <i class="codicon codicon-debug-stop" aria-hidden="true" /> Stop
        </button>
      ) : (
        <button class="button primary" disabled={disabled || text.trim() === ''} title="Send (Enter)" onClick={send}>
          <i class="codicon codicon-send" aria-hidden="true" /> Send
        </button>
      )}
    </div>
  );
}
