// The task box: Enter sends, Shift+Enter is a newline (IME composition is left alone); a Stop button
// replaces Send while the run is going. The draft survives the panel being hidden.
//
// '@' opens the mention picker (arrows, Enter or Tab pick, Escape closes); what is picked stays in the
// text as a token and is sent as an attachment if the token is still there. `/compact` alone asks the
// running run to compact its conversation instead of starting a task.
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  attachmentsIn,
  insertMention,
  isCompactCommand,
  latestResults,
  mentionAt,
  pickerOptions,
  pickerWanted,
  type MentionQuery,
  type PickedMention,
  type PickerOption,
} from '../state/mentions.ts';
import type { PanelState } from '../state/panel.ts';
import type { RunState } from '../state/types.ts';
import { dispatch } from '../store.ts';
import { post, savedUi, saveUi } from '../vscode-api.ts';
import { MentionPicker, optionId, PICKER_ID } from './mention-picker.tsx';

const MAX_ROWS = 10;
/** Typing pauses this long before the file search is asked: one request per word, not per key. */
const SEARCH_DEBOUNCE_MS = 60;
let appliedPrefill = 0;
/** Request ids only grow, across remounts of the box, so an old answer is never taken for a new one. */
let nextRequestId = 1;

export function Composer({
  panel,
  run,
  disabled,
}: {
  panel: PanelState;
  run: RunState | undefined;
  disabled: boolean;
}) {
  const [text, setText] = useState(() => savedUi().draft ?? '');
  const [picked, setPicked] = useState<readonly PickedMention[]>(() => savedUi().mentions ?? []);
  const [query, setQuery] = useState<MentionQuery | undefined>(undefined);
  const [active, setActive] = useState(0);
  /** The '@' whose picker Escape closed: it stays closed until the caret leaves that mention. */
  const [dismissedAt, setDismissedAt] = useState(-1);
  const [requestId, setRequestId] = useState(0);
  const [hint, setHint] = useState<string | undefined>(undefined);
  const box = useRef<HTMLTextAreaElement>(null);
  const searchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const running = run?.status === 'running';

  useEffect(() => {
    // Applied once: the box remounts when the Chat tab is opened again, and must keep the draft then.
    if (!panel.prefill || panel.prefill.n <= appliedPrefill) return;
    appliedPrefill = panel.prefill.n;
    update(panel.prefill.text, []);
    box.current?.focus();
  }, [panel.prefill?.n]);

  useEffect(() => () => clearTimeout(searchTimer.current), []);

  const update = (v: string, mentions: readonly PickedMention[] = picked) => {
    setText(v);
    setPicked(mentions);
    setHint(undefined);
    saveUi({ draft: v, mentions: [...mentions] });
  };

  /** Re-reads the mention at the caret; asks for files when its query changed. */
  const follow = (el: HTMLTextAreaElement) => {
    const q = el.selectionStart === el.selectionEnd ? mentionAt(el.value, el.selectionStart) : undefined;
    if (!pickerWanted(q) || q.start === dismissedAt) {
      if (!q || q.start !== dismissedAt) setDismissedAt(-1);
      setQuery(undefined);
      return;
    }
    if (q.query === query?.query && q.start === query.start) return;
    setQuery(q);
    setActive(0);
    clearTimeout(searchTimer.current);
    searchTimer.current = setTimeout(() => {
      const id = nextRequestId++;
      setRequestId(id);
      post({ type: 'searchFiles', requestId: id, query: q.query });
    }, SEARCH_DEBOUNCE_MS);
  };

  const results = latestResults(panel.fileResults, requestId);
  const options = query ? pickerOptions(query.query, results.items) : [];
  const searching = query !== undefined && results.pending;

  const pick = (o: PickerOption) => {
    const el = box.current;
    if (!query || !el) return;
    const next = insertMention(text, query, el.selectionStart, o);
    // Set here rather than by the next render, so the caret is after the mention before any key-up.
    el.value = next.text;
    el.setSelectionRange(next.caret, next.caret);
    update(
      next.text,
      o.attachment && !picked.some((p) => p.token === o.attachment!.token) ? [...picked, o.attachment] : picked,
    );
    setQuery(undefined);
    el.focus();
  };

  const send = () => {
    const task = text.trim();
    if (!task || disabled) return;
    if (isCompactCommand(task)) {
      if (!running) return setHint('No run is running: /compact summarizes the conversation of a running run.');
      post({ type: 'compact', runId: run!.runId });
      update('', []);
      return;
    }
    if (running) return;
    const attachments = attachmentsIn(task, picked);
    post({ type: 'startTask', task, ...(attachments.length > 0 ? { attachments } : {}) });
    dispatch({ type: 'ui/starting' });
    update('', []);
    setQuery(undefined);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (query && !e.isComposing) {
      const n = options.length;
      if (e.key === 'ArrowDown' && n > 0) return stop(e, () => setActive((active + 1) % n));
      if (e.key === 'ArrowUp' && n > 0) return stop(e, () => setActive((active - 1 + n) % n));
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && n > 0)
        return stop(e, () => pick(options[Math.min(active, n - 1)]!));
      if (e.key === 'Escape') {
        return stop(e, () => {
          setDismissedAt(query.start);
          setQuery(undefined);
        });
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey) stop(e, send);
  };

  const rows = Math.min(MAX_ROWS, Math.max(2, text.split('\n').length));
  return (
    <div class="composer">
      {query && (
        <MentionPicker
          options={options}
          active={Math.min(active, Math.max(0, options.length - 1))}
          searching={searching}
          onPick={pick}
          onHover={setActive}
        />
      )}
      {!query && hint && (
        <div class="composer-hint" role="status">
          {hint}
        </div>
      )}
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the task box drives the mention listbox (aria-controls, aria-activedescendant), the combobox pattern on a multi-line box */}
      <textarea
        ref={box}
        value={text}
        rows={rows}
        disabled={disabled}
        aria-label="Task for Agio"
        aria-autocomplete="list"
        aria-expanded={query !== undefined}
        aria-controls={query ? PICKER_ID : undefined}
        aria-activedescendant={query && options.length > 0 ? optionId(Math.min(active, options.length - 1)) : undefined}
        title="Enter sends, Shift+Enter adds a line, @ attaches files and more"
        placeholder={
          running
            ? 'Agio is working; /compact shortens its conversation.'
            : 'Describe a change; @ adds context. Enter sends.'
        }
        onInput={(e) => {
          const el = e.target as HTMLTextAreaElement;
          update(el.value);
          follow(el);
        }}
        // The caret moves without input too (arrows, clicks): the picker follows it.
        onKeyUp={(e) => {
          if (!['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'].includes(e.key) || !query)
            follow(e.target as HTMLTextAreaElement);
        }}
        onClick={(e) => follow(e.target as HTMLTextAreaElement)}
        onBlur={() => setQuery(undefined)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <button
          type="button"
          class="button danger"
          title="Stop the run now"
          onClick={() => post({ type: 'cancel', runId: run!.runId })}
        >
          <i class="codicon codicon-debug-stop" aria-hidden="true" /> Stop
        </button>
      ) : (
        <button
          type="button"
          class="button primary"
          disabled={disabled || text.trim() === ''}
          title="Send (Enter)"
          onClick={send}
        >
          <i class="codicon codicon-send" aria-hidden="true" /> Send
        </button>
      )}
    </div>
  );
}

function stop(e: KeyboardEvent, fn: () => void): void {
  e.preventDefault();
  e.stopPropagation();
  fn();
}
