// Readable, streaming terminal output for a run, driven purely by events, so a live run and a
// replayed one print the same thing.
import type { AgioEvent, EventOf, RunStatus, Totals } from '../protocol/events.ts';

export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

const OUTPUT_PREVIEW_LINES = 8;

export class HumanRenderer {
  private readonly out: Out;
  private readonly color: boolean;
  private midLine = false;
  private readonly calls = new Map<string, { tool: string; summary: string }>();

  constructor(out: Out, color = Boolean(out.isTTY) && !process.env.NO_COLOR) {
    this.out = out;
    this.color = color;
  }

  private paint(code: string, s: string): string {
    return this.color ? `\x1b[${code}m${s}\x1b[0m` : s;
  }
  private line(s: string): void {
    if (this.midLine) this.out.write('\n');
    this.midLine = false;
    this.out.write(s + '\n');
  }

  render(e: AgioEvent): void {
    switch (e.type) {
      case 'run_start':
        this.line(this.paint('2', `agio ${e.agioVersion} · ${e.provider} ${e.model} · ${e.approval} · ${e.cwd} · run ${e.runId}`));
        this.line(this.paint(e.sandbox === 'none' ? '33' : '2', sandboxBanner(e.sandbox)));
        if (e.trusted === false) this.line(this.paint('33', 'untrusted workspace: read tools only, project policy not loaded'));
        this.line(this.paint('1', `› ${e.task}`));
        break;
      case 'turn_start':
        this.line(this.paint('2', `── turn ${e.turn}`));
        break;
      case 'text_delta':
        this.out.write(e.text);
        this.midLine = !e.text.endsWith('\n');
        break;
      case 'tool_call': {
        const summary = summarizeArgs(e.tool, e.args);
        this.calls.set(e.id, { tool: e.tool, summary });
        this.line(`${this.paint('36', `⚙ ${e.tool}`)} ${summary}`);
        break;
      }
      case 'approval_request':
        this.line(this.paint('33', `  ? needs approval: ${e.reason}`));
        break;
      case 'approval_decision':
        if (e.by !== 'policy' || e.decision === 'deny') {
          const colour = e.decision === 'deny' ? '31' : '32';
          this.line(this.paint(colour, `  ${e.decision === 'deny' ? '✗ denied' : '✓ approved'} (${e.by}): ${e.reason}`));
        }
        break;
      case 'tool_output':
        break; // the result shows the output; live chunks would interleave with other calls
      case 'tool_result': {
        const r = e.result;
        const mark = r.ok ? this.paint('32', '  ✓') : this.paint('31', '  ✗');
        const exit = r.exitCode !== undefined ? ` exit ${r.exitCode}` : '';
        this.line(`${mark}${exit} ${this.paint('2', `${formatMs(r.durationMs)}${r.truncated ? ' · truncated' : ''}`)}`);
        const lines = r.output.split('\n');
        const shown = lines.slice(0, OUTPUT_PREVIEW_LINES).map((l) => this.paint('2', `    ${l}`));
        if (lines.length > OUTPUT_PREVIEW_LINES) shown.push(this.paint('2', `    … ${lines.length - OUTPUT_PREVIEW_LINES} more lines`));
        if (r.output.length > 0) this.line(shown.join('\n'));
        break;
      }
      case 'retry':
        this.line(this.paint('33', `  ↻ retry ${e.attempt}: ${e.reason}`));
        break;
      case 'error':
        this.line(this.paint('31', `error (${e.kind}): ${e.message}`));
        break;
      case 'limit_reached':
        this.line(this.paint('33', limitLine(e)));
        break;
      case 'cancelled':
        this.line(this.paint('33', `cancelled: ${e.reason}`));
        break;
      case 'run_end':
        this.line(summaryLine(e.status, e.totals, this.color));
        break;
      case 'notice':
        this.line(this.paint('33', `notice: ${e.message}`));
        break;
      case 'context_added':
        this.line(this.paint('2', `⊕ context: ${e.items.map((i) => (i.ok ? `${i.label} (${kTokens(i.chars / 4)} tokens)` : `${i.label} ✗ ${i.note ?? 'not read'}`)).join(' · ')}`));
        break;
      case 'context_usage':
        // Said once it matters: past half the window, or when results had to be cut.
        if (e.tokens >= e.window / 2 || e.shortened) {
          const cut = e.shortened ? ` · ${e.shortened} result${e.shortened === 1 ? '' : 's'} cut or shortened` : '';
          this.line(this.paint('2', `  context ~${kTokens(e.tokens)} of ${kTokens(e.window)} tokens (${Math.round((100 * e.tokens) / e.window)}%)${cut}`));
        }
        break;
      case 'compaction_start':
        this.line(this.paint('33', `⟳ compacting the conversation (${e.reason === 'user' ? 'you asked' : `~${kTokens(e.tokens)} of ${kTokens(e.window)} tokens`})…`));
        break;
      case 'compaction_end':
        this.line(e.ok
          ? this.paint('32', `  ✓ ${e.summarized} messages summarized: ~${kTokens(e.tokensBefore)} → ~${kTokens(e.tokensAfter)} tokens`)
          : this.paint('33', `  ✗ compaction: ${e.error ?? 'failed'}${e.summarized > 0 ? ` (~${kTokens(e.tokensBefore)} → ~${kTokens(e.tokensAfter)} tokens)` : ''}`));
        break;
      default:
        break;
    }
  }
}

function kTokens(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : String(Math.round(n));
}

export function sandboxBanner(sandbox: string | undefined): string {
  return sandbox && sandbox !== 'none'
    ? `sandbox: ${sandbox} (workspace writable; .git and everything else read-only; no network unless allowed)`
    : 'sandbox: none (bubblewrap is not available or AGIO_SANDBOX=off): commands run unconfined; full-auto asks for anything that may reach outside the workspace';
}

/** The one line that ends every run: status, turns, tool calls, tokens, cost, wall time. */
export function summaryLine(status: Exclude<RunStatus, 'running'>, t: Totals, color = false): string {
  const text = `${status} · ${t.turns} turns · ${t.toolCalls} tool calls · ${t.inputTokens} in / ${t.outputTokens} out tokens${t.cachedTokens ? ` (${t.cachedTokens} cached)` : ''} · $${t.costUsd.toFixed(4)} · ${formatMs(t.elapsedMs)}`;
  if (!color) return text;
  const code = status === 'completed' ? '32' : status === 'cancelled' || status === 'limit' ? '33' : '31';
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** The readable form of a call's arguments: the path and range, the command, the pattern. */
export function summarizeArgs(tool: string, args: unknown): string {
  if (typeof args !== 'object' || args === null) return JSON.stringify(args);
  const a = args as Record<string, unknown>;
  switch (tool) {
    case 'bash':
      return `$ ${String(a.command ?? '')}`;
    case 'read': {
      const from = typeof a.offset === 'number' ? a.offset : 1;
      return typeof a.limit === 'number' ? `${String(a.path)}:${from}-${from + a.limit - 1}` : `${String(a.path)}${from > 1 ? `:${from}-` : ''}`;
    }
    case 'grep':
      return `/${String(a.pattern)}/${a.path ? ` in ${String(a.path)}` : ''}${a.glob ? ` (${String(a.glob)})` : ''}`;
    case 'find':
      return `${String(a.pattern)}${a.path ? ` in ${String(a.path)}` : ''}`;
    case 'edit':
      return `${String(a.path)} (${Array.isArray(a.edits) ? a.edits.length : 0} edits)`;
    case 'write':
      return `${String(a.path)} (${typeof a.content === 'string' ? a.content.length : 0} chars)`;
    case 'ls':
      return String(a.path ?? '.');
    default:
      return JSON.stringify(args);
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function limitLine(e: EventOf<'limit_reached'>): string {
  if (e.limit === 'repeated_error' || e.limit === 'no_progress') return `stopped (${e.limit.replace('_', ' ')}): ${e.detail ?? `${e.value} of ${e.max}`}`;
  const figures = `${formatLimit(e.limit, e.value)} of ${formatLimit(e.limit, e.max)}`;
  return e.projected ? `budget: the next call would cross ${e.limit} (${figures}; ${e.detail ?? 'projected'}); not made` : `budget reached: ${e.limit} ${figures}`;
}

function formatLimit(limit: string, v: number): string {
  return limit === 'time' ? formatMs(v) : limit === 'cost' ? `$${v.toFixed(4)}` : String(v);
}
