// The conversation of one run and what keeps it inside the model's window. Before each model call
// `prepare` estimates the request's size (the provider's last reported input plus a tokenizer count
// of what was added since), shortens old tool results and then compacts when it nears the threshold,
// records all of it as events, and returns the request from the assembler.
import type { EventDraft } from '../protocol/events.ts';
import type { Message, ModelRequest, ToolSpec } from '../models/types.ts';
import { assembleRequest } from './assembler.ts';
import {
  filesChanged,
  mechanicalSummary,
  renderForSummary,
  splitPoint,
  SUMMARY_SYSTEM,
  summaryMessage,
} from './compaction.ts';
import { shortenActedOn, toolOutputCap, truncateToolOutput } from './compressor.ts';
import { exactTokens, loadTokenizer, roughTokens, tokenizerLoaded, upperBoundTokens } from './tokens.ts';

import type { WindowSettings } from '../protocol/events.ts';

export type Summarize = (
  req: ModelRequest,
  parentId: string,
) => Promise<{ ok: true; text: string } | { ok: false; error: string }>;

export interface ContextWindowDeps {
  emit: (draft: EventDraft) => { id: string };
  /** One model call without tools, for the summary; the caller records its usage and cost. */
  summarize: Summarize;
}

/** The tokenizer is o200k; other providers count differently. Estimates are raised by this much. */
const MARGIN = 1.1;
/** Per-message framing the providers add (role markers, ids): a few tokens each. */
const PER_MESSAGE = 8;
/** Turns kept verbatim by compaction and by shortening. */
const KEEP_TURNS = 2;
const SUMMARY_MAX_OUTPUT = 2_048;

interface Size {
  upper: number;
  rough: number;
  exact?: number;
}

export class ContextWindow {
  readonly settings: WindowSettings;
  private readonly system: string;
  private readonly tools: readonly ToolSpec[];
  private readonly deps: ContextWindowDeps;
  private readonly maxOutputTokens: number;
  private msgs: Message[];
  private readonly sizes = new WeakMap<Message, Size>();
  private readonly overhead: Size;
  private sumUpper = 0;
  private sumRough = 0;
  private sumExact: number | undefined;
  /** The provider's count of the last request's input, and how many messages that request held. */
  private reported: { tokens: number; messages: number } | undefined;
  private pendingShortened = 0;
  /** Size right after the last compaction: another one waits until the conversation has grown. */
  private compactedTo: number | undefined;
  private userAskedCompaction = false;

  constructor(
    settings: WindowSettings,
    parts: { system: string; tools: readonly ToolSpec[]; messages: readonly Message[]; maxOutputTokens: number },
    deps: ContextWindowDeps,
  ) {
    this.settings = settings;
    this.system = parts.system;
    this.tools = parts.tools;
    this.deps = deps;
    this.maxOutputTokens = Math.min(parts.maxOutputTokens, settings.maxOutput);
    const overheadText = parts.system + JSON.stringify(parts.tools);
    this.overhead = { upper: upperBoundTokens(overheadText), rough: roughTokens(overheadText) };
    this.msgs = [];
    for (const m of parts.messages) this.push(m.role === 'tool' ? this.capped(m) : m);
  }

  get messages(): readonly Message[] {
    return this.msgs;
  }

  /** Input tokens a request may hold before it is compacted: the threshold, and never so much that
   * the output cap no longer fits in the window. */
  get threshold(): number {
    const { window, compactAt } = this.settings;
    return Math.floor(Math.min(window * compactAt, window - this.maxOutputTokens));
  }

  push(m: Message): void {
    this.msgs.push(m);
    const size = this.size(m);
    this.sumUpper += size.upper;
    this.sumRough += size.rough;
    if (this.sumExact !== undefined) this.sumExact += this.exactOf(m);
  }

  /** A tool's result enters the conversation cut to the window's per-result cap (once, so its bytes
   * never change afterwards). */
  pushToolResult(m: Extract<Message, { role: 'tool' }>): void {
    this.push(this.capped(m));
  }

  /** The task's first message, once its attachments are read (before the first request). */
  replaceTask(content: string): void {
    const [, ...rest] = this.msgs;
    this.replaceAll([{ role: 'user', content }, ...rest]);
  }

  /** The user asked to compact (/compact, a command, `agio resume --compact`): done before the next call. */
  requestCompaction(): void {
    this.userAskedCompaction = true;
  }

  /** The provider reported the input tokens of the request that had `messageCount` messages. */
  reportInput(tokens: number, messageCount: number): void {
    this.reported = { tokens, messages: messageCount };
  }

  /** Makes the conversation fit, recording what it did, and returns the request to send. */
  async prepare(turnId: string, signal: AbortSignal): Promise<ModelRequest> {
    const started = performance.now();
    let summaryMs = 0;
    let tokens = await this.estimate();
    const hardLimit = this.settings.window - this.maxOutputTokens;
    if (this.userAskedCompaction || tokens >= this.threshold) {
      if (!this.userAskedCompaction) {
        // Cheapest first: results the model has acted on are shortened, all at once.
        const r = shortenActedOn(this.msgs, KEEP_TURNS);
        if (r.shortened > 0) {
          this.replaceAll(r.messages);
          this.pendingShortened += r.shortened;
          tokens = await this.estimate();
        }
      }
      // When what compaction keeps (the task, the last turns) is itself near the threshold, compacting
      // again every turn would only buy summary calls: wait until a tenth of the window is new.
      const grown = this.compactedTo === undefined || tokens - this.compactedTo >= this.settings.window * 0.1;
      if (this.userAskedCompaction || (tokens >= this.threshold && grown)) {
        const reason = this.userAskedCompaction ? 'user' : 'threshold';
        this.userAskedCompaction = false;
        const t = performance.now();
        await this.compact(reason, tokens, turnId, signal);
        summaryMs = performance.now() - t;
        tokens = await this.estimate();
        this.compactedTo = tokens;
      }
      if (tokens >= hardLimit) {
        // Still too big (the last turns alone are huge): shorten everything, the latest turn included.
        const r = shortenActedOn(this.msgs, 0);
        this.replaceAll(r.messages);
        this.pendingShortened += r.shortened;
        tokens = await this.estimate();
      }
    }
    const shortened = this.pendingShortened;
    this.pendingShortened = 0;
    const request = assembleRequest({
      system: this.system,
      tools: this.tools,
      messages: this.msgs,
      maxOutputTokens: this.maxOutputTokens,
    });
    const durationMs = Math.round((performance.now() - started - summaryMs) * 1000) / 1000;
    this.deps.emit({
      type: 'context_usage',
      parentId: turnId,
      tokens,
      window: this.settings.window,
      estimated: true,
      ...(shortened > 0 ? { shortened } : {}),
      durationMs,
    });
    return request;
  }

  /** The next request's size for the budget projection: the provider's last count (priced as cached)
   * and the estimate of what was added since (everything, when the conversation was rewritten). */
  async projection(): Promise<{ reported: number; added: number }> {
    const tokens = await this.estimate();
    const reported = this.reported && this.reported.messages <= this.msgs.length ? this.reported.tokens : 0;
    return { reported, added: Math.max(0, tokens - reported) };
  }

  /** Tokens the next request will hold. Exact counting only starts once the byte count (an upper
   * bound) says the threshold could be near; until then a rough figure is enough. */
  async estimate(): Promise<number> {
    const upper = this.overhead.upper + this.sumUpper + this.msgs.length * PER_MESSAGE;
    const reported = this.reported && this.reported.messages <= this.msgs.length ? this.reported : undefined;
    if (upper < this.threshold && !tokenizerLoaded()) {
      if (!reported) return this.overhead.rough + this.sumRough + this.msgs.length * PER_MESSAGE;
      let added = 0;
      for (let i = reported.messages; i < this.msgs.length; i++) added += this.size(this.msgs[i]!).rough + PER_MESSAGE;
      return reported.tokens + added;
    }
    await loadTokenizer();
    if (this.sumExact === undefined) this.sumExact = this.msgs.reduce((n, m) => n + this.exactOf(m), 0);
    if (reported) {
      let added = 0;
      for (let i = reported.messages; i < this.msgs.length; i++) added += this.exactOf(this.msgs[i]!) + PER_MESSAGE;
      return Math.ceil(reported.tokens + added * MARGIN);
    }
    this.overhead.exact ??= exactTokens(this.system + JSON.stringify(this.tools));
    return Math.ceil((this.overhead.exact + this.sumExact + this.msgs.length * PER_MESSAGE) * MARGIN);
  }

  private async compact(
    reason: 'threshold' | 'user',
    tokens: number,
    parentId: string,
    signal: AbortSignal,
  ): Promise<void> {
    const start = this.deps.emit({ type: 'compaction_start', parentId, reason, tokens, window: this.settings.window });
    const split = splitPoint(this.msgs, KEEP_TURNS) ?? splitPoint(this.msgs, 1);
    if (split === undefined) {
      this.deps.emit({
        type: 'compaction_end',
        parentId: start.id,
        ok: false,
        summarized: 0,
        tokensBefore: tokens,
        tokensAfter: tokens,
        error: 'nothing to compact yet: the conversation is only the task and the latest turn',
      });
      return;
    }
    const older = this.msgs.slice(1, split);
    // The summarizer's own request must fit the window too: ~3 characters per token is a safe rate.
    const maxChars = Math.max(
      2_000,
      (this.settings.window - SUMMARY_MAX_OUTPUT - roughTokens(SUMMARY_SYSTEM) - 200) * 3,
    );
    const transcript = renderForSummary(older, maxChars);
    const res = signal.aborted
      ? { ok: false as const, error: 'the run was stopped' }
      : await this.deps.summarize(
          {
            system: SUMMARY_SYSTEM,
            tools: [],
            maxOutputTokens: Math.min(SUMMARY_MAX_OUTPUT, this.settings.maxOutput),
            messages: [{ role: 'user', content: `Summarize this conversation:\n\n${transcript}` }],
          },
          start.id,
        );
    const summary = res.ok && res.text.trim() !== '' ? res.text : mechanicalSummary(older, Math.floor(maxChars / 4));
    const replacement = summaryMessage(summary, filesChanged(older));
    this.replaceAll([this.msgs[0]!, replacement, ...this.msgs.slice(split)]);
    const after = await this.estimate();
    const error = res.ok ? (res.text.trim() === '' ? 'the summary came back empty' : undefined) : res.error;
    this.deps.emit({
      type: 'compaction_end',
      parentId: start.id,
      ok: error === undefined,
      summarized: older.length,
      tokensBefore: tokens,
      tokensAfter: after,
      summary,
      // Which messages gave way to what, so the log alone rebuilds this conversation (resume).
      replaced: { from: 1, to: split, message: replacement.content },
      ...(error !== undefined ? { error: `${error}; the earlier steps were listed mechanically instead` } : {}),
    });
  }

  private replaceAll(next: Message[]): void {
    this.msgs = [];
    this.sumUpper = 0;
    this.sumRough = 0;
    this.sumExact = tokenizerLoaded() ? 0 : undefined;
    for (const m of next) this.push(m);
    // The provider's figure was for the old messages.
    this.reported = undefined;
  }

  private capped(m: Extract<Message, { role: 'tool' }>): Message {
    const t = truncateToolOutput(m.name, m.content, toolOutputCap(this.settings.window));
    if (t.cut === 0) return m;
    this.pendingShortened++;
    return { ...m, content: t.content };
  }

  private size(m: Message): Size {
    let s = this.sizes.get(m);
    if (!s) {
      const text = textOf(m);
      s = { upper: upperBoundTokens(text), rough: roughTokens(text) };
      this.sizes.set(m, s);
    }
    return s;
  }

  private exactOf(m: Message): number {
    const s = this.size(m);
    s.exact ??= exactTokens(textOf(m));
    return s.exact;
  }
}

function textOf(m: Message): string {
  if (m.role === 'user') return m.content;
  if (m.role === 'tool') return m.name + m.content;
  return m.text + m.toolCalls.map((c) => c.name + c.argsJson).join('');
}
