// A compaction of the conversation, never silent: a spinner while the summary is written, then what
// it did (messages replaced, tokens before and after) with the summary itself one click away.
import { useState } from 'preact/hooks';
import { plural, tokens } from '../format.ts';
import { markdown } from '../markdown-loader.ts';
import type { CompactionItem } from '../state/types.ts';

function why(item: CompactionItem): string {
  return item.reason === 'user' ? 'you asked' : `${Math.round((item.tokens / item.window) * 100)}% of the window`;
}

export function Compaction({ item }: { item: CompactionItem }) {
  const [open, setOpen] = useState(false);
  if (item.status === 'running') {
    return (
      <div class="compaction running" role="status">
        <i class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" />
        <span>Compacting the conversation ({why(item)})…</span>
      </div>
    );
  }
  if (item.status === 'failed') {
    return (
      <div class="compaction failed">
        <i class="codicon codicon-error" aria-hidden="true" />
        <span>
          Compaction failed ({why(item)}): {item.error ?? 'no reason given'}.
          {/* With nothing summarized the conversation is unchanged; otherwise a mechanical list took the summary's place. */}
          {(item.summarized ?? 0) === 0
            ? ' The conversation was left as it was.'
            : ` ${plural(item.summarized ?? 0, 'message')} replaced by that list.`}
        </span>
      </div>
    );
  }
  const md = markdown();
  return (
    <div class="compaction done">
      <button
        type="button"
        class="compaction-head"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={!item.summary}
      >
        <i class={`codicon codicon-${open ? 'chevron-down' : 'chevron-right'}`} aria-hidden="true" />
        <i class="codicon codicon-fold" aria-hidden="true" />
        <span>
          Compacted {plural(item.summarized ?? 0, 'message')}: {tokens(item.tokensBefore ?? 0)} →{' '}
          {tokens(item.tokensAfter ?? 0)} tokens
          {item.reason === 'user' ? ' (you asked)' : ''}
        </span>
      </button>
      {open &&
        item.summary &&
        (md ? (
          <div
            class="markdown compaction-summary"
            dangerouslySetInnerHTML={{ __html: md.renderMarkdown(item.summary) }}
          />
        ) : (
          <div class="markdown plain compaction-summary">
            <p>{item.summary}</p>
          </div>
        ))}
    </div>
  );
}
