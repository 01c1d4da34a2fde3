// Readable, streaming terminal output for a run, driven purely by events, so a live run and a
// replayed one print the same thing.
import type { AgioEvent, EventOf, RunStatus, Totals } from '../protocol/events.ts';
import { emptyProjection, openCall, project, type RunProjection } from '../protocol/projection.ts';
import { count, formatCost, formatMs, kTokens } from './format.ts';
import { summarizeCall } from '../tools/registry.ts';

export interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

const OUTPUT_PREVIEW_LINES = 8;

export class HumanRenderer {
  private readonly out: Out;
  private readonly color: boolean;
  private midLine = false;
  /** Where the run stands: the result line names its call, its wait and whether it was denied. */
  private run: RunProjection | undefined;

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
    this.out.write(`${s}\n`);
  }

  render(e: AgioEvent): void {
    // The call a result closes is read before the result leaves it finished.
    const call =
      e.type === 'tool_result' && this.run && e.parentId !== null ? openCall(this.run, e.parentId) : undefined;
    this.run = project(this.run ?? emptyProjection(e.runId), e);
    switch (e.type) {
      case 'run_start':
        this.line(
          this.paint(
            '2',
            `agio ${e.agioVersion} · ${e.provider} ${e.model} · ${e.approval} · ${e.cwd} · run ${e.runId}`,
          ),
        );
        this.line(this.paint(e.sandbox === 'none' ? '33' : '2', sandboxBanner(e.sandbox, e.unsandboxedFullAuto)));
        if (e.trusted === false)
          this.line(this.paint('33', 'untrusted workspace: read tools only, project policy not loaded'));
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
        this.line(`${this.paint('36', `⚙ ${e.tool}`)} ${visible(callSummary(e.tool, e.args, e.summary))}`);
        break;
      }
      case 'approval_request':
        // Everything the person answering saw, so a replay shows what was approved, diff included.
        if (e.callId !== undefined) this.line(this.paint('33', `  ? ${e.summary}\n    ${e.reason}`));
        else this.line(this.paint('33', `  ? needs approval: ${e.reason}`));
        if (e.diff) this.line(this.diffLines(e.diff));
        break;
      case 'approval_decision': {
        if (e.by === 'policy' && e.decision !== 'deny') break;
        this.line(
          e.decision === 'deny' ? this.paint('31', `  ✗ ${denialLine(e)}`) : this.paint('32', `  ✓ ${approvalLine(e)}`),
        );
        break;
      }
      case 'tool_output':
        break; // the result shows the output; live chunks would interleave with other calls
      case 'tool_result': {
        const r = e.result;
        const mark = r.ok ? this.paint('32', '  ✓') : this.paint('31', '  ✗');
        const what = call ? `${call.tool} ${resultTarget(call.tool, call.args, call.summary)}` : e.tool;
        const exit = r.exitCode !== undefined && r.exitCode !== null ? ` · exit ${r.exitCode}` : '';
        // The call's own time; the wait for the answer is not the tool's, so it is said apart.
        const waitedMs = call?.decision?.by === 'user' ? call.decision.waitedMs : undefined;
        const waited = waitedMs !== undefined ? ` (waited ${formatMs(waitedMs)} for approval)` : '';
        // A denied call never ran: it has no time of its own to show.
        const took =
          call?.decision?.decision === 'deny'
            ? 'not run'
            : `${formatMs(r.durationMs)}${r.truncated ? ' · truncated' : ''}`;
        this.line(`${mark} ${what}${exit} · ${this.paint('2', `${took}${waited}`)}`);
        const lines = r.output.split('\n');
        const shown = lines.slice(0, OUTPUT_PREVIEW_LINES).map((l) => this.paint('2', `    ${l}`));
        if (lines.length > OUTPUT_PREVIEW_LINES)
          shown.push(this.paint('2', `    … ${lines.length - OUTPUT_PREVIEW_LINES} more lines`));
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
        this.line(
          this.paint(
            '2',
            `⊕ context: ${e.items.map((i) => (i.ok ? `${i.label} (${kTokens(i.chars / 4)} tokens)` : `${i.label} ✗ ${i.note ?? 'not read'}`)).join(' · ')}`,
          ),
        );
        break;
      case 'context_usage':
        // Said once it matters: past half the window, or when results had to be cut.
        if (e.tokens >= e.window / 2 || e.shortened) {
          const cut = e.shortened ? ` · ${e.shortened} result${e.shortened === 1 ? '' : 's'} cut or shortened` : '';
          this.line(
            this.paint(
              '2',
              `  context ~${kTokens(e.tokens)} of ${kTokens(e.window)} tokens (${Math.round((100 * e.tokens) / e.window)}%)${cut}`,
            ),
          );
        }
        break;
      case 'compaction_start':
        this.line(
          this.paint(
            '33',
            `⟳ compacting the conversation (${e.reason === 'user' ? 'you asked' : `~${kTokens(e.tokens)} of ${kTokens(e.window)} tokens`})…`,
          ),
        );
        break;
      case 'compaction_end':
        this.line(
          e.ok
            ? this.paint(
                '32',
                `  ✓ ${e.summarized} messages summarized: ~${kTokens(e.tokensBefore)} → ~${kTokens(e.tokensAfter)} tokens`,
              )
            : this.paint(
                '33',
                `  ✗ compaction: ${e.error ?? 'failed'}${e.summarized > 0 ? ` (~${kTokens(e.tokensBefore)} → ~${kTokens(e.tokensAfter)} tokens)` : ''}`,
              ),
        );
        break;
      default:
        break;
    }
  }

  /** A unified diff indented under its question, coloured like git's; the `===` rule line dropped. */
  private diffLines(diff: string): string {
    return diff
      .replace(/\n$/, '')
      .split('\n')
      .filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: '))
      .map((l) => {
        const code =
          l.startsWith('+++') || l.startsWith('---')
            ? '1'
            : l.startsWith('+')
              ? '32'
              : l.startsWith('-')
                ? '31'
                : l.startsWith('@@')
                  ? '36'
                  : '';
        return `    ${code ? this.paint(code, visible(l)) : visible(l)}`;
      })
      .join('\n');
  }
}

function approvalLine(e: EventOf<'approval_decision'>): string {
  const who = e.by === 'user' ? 'approved by you' : `approved (${e.by})`;
  const kind = e.decision === 'allow_session' ? ' for this session' : e.decision === 'always' ? ', always' : '';
  // The reason opens with "approved by the user" unless it says more (a saved rule, a note).
  const rest = e.reason.replace(/^approved by the user/, '');
  return `${who}${kind}${rest === '' ? '' : rest.startsWith(';') ? rest : `: ${rest}`}`;
}

function denialLine(e: EventOf<'approval_decision'>): string {
  if (e.by === 'policy') return `denied by policy: ${e.reason}`;
  if (e.by === 'headless') return `denied: ${e.reason}`;
  return e.reason === 'denied by the user' ? 'denied by you' : `denied by you: ${e.reason}`;
}

/** What a result line names: the file for file tools, the command (cut short) for bash. */
function resultTarget(tool: string, args: unknown, summary: string | undefined): string {
  const a = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const text =
    typeof a.path === 'string' && tool !== 'grep' && tool !== 'find' ? a.path : callSummary(tool, args, summary);
  const shown = visible(text);
  return shown.length > 48 ? `${shown.slice(0, 47)}…` : shown;
}

export function sandboxBanner(sandbox: string | undefined, unsandboxedFullAuto?: boolean): string {
  if (sandbox && sandbox !== 'none')
    return `sandbox: ${sandbox} (workspace writable; .git and everything else read-only; no network unless allowed)`;
  const none = 'sandbox: none (bubblewrap is not available or AGIO_SANDBOX=off): commands run unconfined; ';
  return unsandboxedFullAuto
    ? `${none}UNSANDBOXED FULL-AUTO (you opted in): full-auto runs the workspace's own code (make, npm test, ./run.sh, node x.mjs) unasked, and that code can do anything you can`
    : `${none}full-auto asks before running code the workspace controls (make, npm test, scripts) and anything that may reach outside the workspace`;
}

/** The one line that ends every run: status, turns, tool calls, tokens, cost, wall time. */
export function summaryLine(status: Exclude<RunStatus, 'running'>, t: Totals, color = false): string {
  const text = `${status} · ${count(t.turns, 'turn')} · ${count(t.toolCalls, 'tool call')} · ${t.inputTokens} in / ${t.outputTokens} out tokens${t.cachedTokens ? ` (${t.cachedTokens} cached)` : ''} · ${formatCost(t.costUsd, t.unpricedCalls)} · ${formatMs(t.elapsedMs)}`;
  if (!color) return text;
  const code = status === 'completed' ? '32' : status === 'cancelled' || status === 'limit' ? '33' : '31';
  return `\x1b[${code}m${text}\x1b[0m`;
}

/** A call's one line: the tool's own summary, carried by the event (a log from before events carried
 * it: the tool's summary of the recorded arguments). A command is shown as a shell line. */
export function callSummary(tool: string, args: unknown, summary?: string): string {
  const text = summary ?? summarizeCall(tool, args) ?? (typeof args === 'string' ? args : JSON.stringify(args));
  return tool === 'bash' ? `$ ${text}` : text;
}

/** Control characters and invisible separators shown as escapes, so `git status\rrm -rf ~` cannot hide. */
export function visible(s: string): string {
  return s.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

function limitLine(e: EventOf<'limit_reached'>): string {
  if (e.limit === 'repeated_error' || e.limit === 'no_progress')
    return `stopped (${e.limit.replace('_', ' ')}): ${e.detail ?? `${e.value} of ${e.max}`}`;
  const figures = `${formatLimit(e.limit, e.value)} of ${formatLimit(e.limit, e.max)}`;
  return e.projected
    ? `budget: the next call would cross ${e.limit} (${figures}; ${e.detail ?? 'projected'}); not made`
    : `budget reached: ${e.limit} ${figures}`;
}

function formatLimit(limit: string, v: number): string {
  return limit === 'time' ? formatMs(v) : limit === 'cost' ? `$${v.toFixed(4)}` : String(v);
}
