// The chat's rows. ChatRow redraws only when its item's version (or its own UI state) changed, so a
// streaming run re-renders the one row that is growing, not the transcript.
import { Component } from 'preact';
import { duration, plural, tokens } from '../format.ts';
import { costFigure } from '../state/cost.ts';
import { markdown } from '../markdown-loader.ts';
import type { AssistantItem, DisplayItem, NoticeItem, SummaryItem } from '../state/types.ts';
import { Compaction } from './compaction.tsx';
import { ContextChips } from './context-chips.tsx';
import { ToolCard, type ToolCardProps } from './tool-card.tsx';
import { post } from '../vscode-api.ts';

/** Rendered markdown by item id and version: rows scrolled back into view are not re-parsed. */
const markdownCache = new Map<string, string>();
const MARKDOWN_CACHE = 300;

function markdownFor(item: AssistantItem): string | undefined {
  const md = markdown();
  if (!md) return undefined;
  const key = `${item.id}@${item.version}`;
  let html = markdownCache.get(key);
  if (html === undefined) {
    html = md.renderMarkdown(item.text);
    if (markdownCache.size >= MARKDOWN_CACHE) markdownCache.delete(markdownCache.keys().next().value!);
    markdownCache.set(key, html);
  }
  return html;
}

const NOTICE_ICON: Record<NoticeItem['notice'], string> = {
  error: 'error',
  warning: 'warning',
  retry: 'refresh',
  limit: 'dashboard',
  cancelled: 'debug-stop',
  gap: 'warning',
  info: 'info',
};

const SUMMARY_TEXT: Record<SummaryItem['status'], { icon: string; text: string }> = {
  completed: { icon: 'pass-filled', text: 'Completed' },
  failed: { icon: 'error', text: 'Failed' },
  cancelled: { icon: 'debug-stop', text: 'Cancelled' },
  limit: { icon: 'dashboard', text: 'Stopped at a budget' },
  interrupted: { icon: 'debug-disconnect', text: 'Interrupted' },
};

function Summary({ item }: { item: SummaryItem }) {
  const t = item.totals;
  const s = SUMMARY_TEXT[item.status];
  const cost = costFigure(t.costUsd, t.unpricedCalls);
  return (
    <div class={`run-summary summary-${item.status}`}>
      <i class={`codicon codicon-${s.icon}`} aria-hidden="true" />
      <span class="summary-status">{s.text}</span>
      <span>
        {plural(t.turns, 'turn')} · {plural(t.toolCalls, 'tool call')} · {tokens(t.inputTokens)} in /{' '}
        {tokens(t.outputTokens)} out · <span title={cost.title}>{cost.text}</span> · {duration(t.elapsedMs)}
      </span>
      {item.error && <div class="summary-error">{item.error}</div>}
    </div>
  );
}

export interface ChatRowProps extends Omit<ToolCardProps, 'item'> {
  item: DisplayItem;
  /** The markdown renderer has loaded (rows drawn before show plain text and must redraw). */
  markdownReady: boolean;
}

export class ChatRow extends Component<ChatRowProps> {
  override shouldComponentUpdate(next: ChatRowProps): boolean {
    const p = this.props;
    return (
      next.item.version !== p.item.version ||
      next.item.id !== p.item.id ||
      next.expanded !== p.expanded ||
      next.answerable !== p.answerable ||
      next.answered !== p.answered ||
      next.shortcutTarget !== p.shortcutTarget ||
      next.markdownReady !== p.markdownReady
    );
  }

  override render({ item, markdownReady: _, ...card }: ChatRowProps) {
    switch (item.kind) {
      case 'task':
        return (
          <div class="msg user">
            <i class="codicon codicon-account" aria-hidden="true" />
            <div class="msg-body">
              <div class="msg-text">{item.text}</div>
              {item.context && item.context.length > 0 && <ContextChips runId={card.runId} items={item.context} />}
            </div>
          </div>
        );
      case 'assistant': {
        if (item.discarded || item.text === '') return <div class="msg-empty" />;
        const html = markdownFor(item);
        return (
          <div class={`msg assistant ${item.streaming ? 'streaming' : ''}`}>
            {html === undefined ? (
              <div class="markdown plain">
                <p>{item.text}</p>
              </div>
            ) : (
              <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />
            )}
          </div>
        );
      }
      case 'tool':
        if (item.discarded) return <div class="msg-empty" />;
        return <ToolCard {...card} item={item} />;
      case 'notice':
        return (
          <div class={`notice notice-${item.notice}`}>
            <i class={`codicon codicon-${NOTICE_ICON[item.notice]}`} aria-hidden="true" />
            <span class="notice-text">{item.text}</span>
            {item.settings && (
              <button
                type="button"
                class="link-button notice-action"
                onClick={() => post({ type: 'openSettings', query: item.settings! })}
              >
                <i class="codicon codicon-settings-gear" aria-hidden="true" /> Open Settings
              </button>
            )}
            {item.setKey && (
              <button type="button" class="link-button notice-action" onClick={() => post({ type: 'setKey' })}>
                <i class="codicon codicon-key" aria-hidden="true" /> Set API Key
              </button>
            )}
          </div>
        );
      case 'summary':
        return <Summary item={item} />;
      case 'context':
        return (
          <div class="context-row">
            <span class="context-row-label">
              <i class="codicon codicon-law" aria-hidden="true" /> Loaded for the model:
            </span>
            <ContextChips runId={card.runId} items={item.items} />
          </div>
        );
      case 'compaction':
        return <Compaction item={item} />;
    }
  }
}

/** A first guess at a row's height before it is measured. */
export function estimateHeight(item: DisplayItem | undefined, open: boolean): number {
  if (!item) return 32;
  switch (item.kind) {
    case 'task':
      return 44 + 18 * Math.floor(item.text.length / 60) + (item.context?.length ? 28 : 0);
    case 'assistant':
      return item.discarded || item.text === '' ? 0 : 28 + 20 * Math.ceil(item.text.length / 70);
    case 'tool':
      if (item.discarded) return 0;
      return item.status === 'waiting-approval' ? 280 : open ? 160 : 34;
    case 'notice':
      return 34;
    case 'summary':
      return 44;
    case 'context':
      return 30;
    case 'compaction':
      return 30;
  }
}
