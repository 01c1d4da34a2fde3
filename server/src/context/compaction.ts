// Compaction: the older part of the conversation is replaced by a summary. The model writes the
// summary (what it needs to go on: the task, decisions, files changed, open problems); the list of
// files changed is also taken from the tool calls themselves so it survives a vague summary, and if
// the summary call fails a mechanical summary of the steps takes its place. Pure functions; the
// model call and the events are in context-window.ts.
import type { Message } from '../models/types.ts';
import { pathArg } from './call-args.ts';

export const SUMMARY_SYSTEM = [
  'You compact the conversation of Agio, an autonomous coding agent, so it can go on with its task in less context.',
  'Write a summary that the agent will read instead of the conversation. Keep, specifically (paths, names, commands, error messages):',
  '1. The task: what the user asked for, in their words where it matters, and any constraints they gave.',
  '2. Decisions made and why, and approaches that were tried and abandoned.',
  '3. Files created or changed, and what changed in each.',
  '4. Commands run that matter (tests, builds) and their outcome.',
  '5. Open problems and the next steps.',
  'If the conversation starts with an earlier summary, carry its content forward. Reply with the summary only, no preamble.',
].join('\n');

const SUMMARY_OPEN = '<conversation-summary>';

/** Index of the first message kept verbatim: the start of the last `keepTurns` turns (an assistant
 * message, so tool results stay with their calls). Message 0 (the task) is always kept. Undefined
 * when there is nothing older to summarize. */
export function splitPoint(messages: readonly Message[], keepTurns: number): number | undefined {
  let seen = 0;
  for (let i = messages.length - 1; i >= 1; i--) {
    if (messages[i]!.role !== 'assistant') continue;
    if (++seen === keepTurns) return i > 1 ? i : undefined;
  }
  return keepTurns === 0 ? messages.length : undefined;
}

/** The older messages as plain text for the summarizer, within `maxChars`: tool results are cut
 * harder until it fits; if even that is too long, the middle is left out (the start holds any earlier
 * summary, the end the latest state). */
export function renderForSummary(older: readonly Message[], maxChars: number): string {
  for (let cap = 2_000; ; cap = Math.floor(cap / 2)) {
    const lines = older.map((m) => renderMessage(m, cap));
    const text = lines.join('\n\n');
    if (text.length <= maxChars) return text;
    if (cap <= 150) return keepEnds(lines, maxChars);
  }
}

function renderMessage(m: Message, cap: number): string {
  const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n)} […${s.length - n} more characters]`);
  if (m.role === 'user')
    return m.content.startsWith(SUMMARY_OPEN) ? m.content : `USER: ${cut(m.content, Math.max(cap, 4_000))}`;
  if (m.role === 'tool') return `RESULT of ${m.name}${m.isError ? ' (failed)' : ''}: ${cut(m.content, cap)}`;
  const calls = m.toolCalls.map((c) => `  -> ${c.name} ${cut(c.argsJson, 300)}`);
  return [`ASSISTANT: ${cut(m.text, Math.max(cap, 2_000))}`, ...calls].join('\n');
}

function keepEnds(lines: readonly string[], maxChars: number): string {
  const head: string[] = [];
  const tail: string[] = [];
  let used = 200;
  let i = 0;
  let j = lines.length - 1;
  // Alternate: the first lines (earlier summary, first steps) and the last ones (latest state).
  for (let fromEnd = true; i <= j; fromEnd = !fromEnd) {
    const line = fromEnd ? lines[j]! : lines[i]!;
    if (used + line.length + 2 > maxChars) break;
    used += line.length + 2;
    if (fromEnd) tail.unshift(lines[j--]!);
    else head.push(lines[i++]!);
  }
  const omitted = j - i + 1;
  if (omitted <= 0) return [...head, ...tail].join('\n\n');
  return [...head, `[… ${omitted} messages left out to fit the summarizer's window …]`, ...tail].join('\n\n');
}

/** Paths written or edited by successful calls in these messages (and listed in earlier summaries). */
export function filesChanged(messages: readonly Message[]): string[] {
  const ok = new Map<string, boolean>();
  for (const m of messages) if (m.role === 'tool') ok.set(m.callId, !m.isError);
  const files = new Set<string>();
  for (const m of messages) {
    if (m.role === 'user' && m.content.startsWith(SUMMARY_OPEN)) {
      const line = /^Files changed so far: (.*)$/m.exec(m.content)?.[1];
      for (const f of line?.split(', ') ?? []) if (f && f !== '(none)') files.add(f);
    }
    if (m.role !== 'assistant') continue;
    for (const c of m.toolCalls) {
      if ((c.name !== 'write' && c.name !== 'edit') || ok.get(c.id) !== true) continue;
      const path = pathArg(c.argsJson);
      if (path) files.add(path);
    }
  }
  return [...files];
}

/** What replaces the older messages. */
export function summaryMessage(summary: string, files: readonly string[]): Extract<Message, { role: 'user' }> {
  return {
    role: 'user',
    content: [
      SUMMARY_OPEN,
      'The earlier part of this conversation was compacted by Agio to fit the context window. Summary:',
      '',
      summary.trim(),
      '',
      `Files changed so far: ${files.length > 0 ? files.join(', ') : '(none)'}`,
      '</conversation-summary>',
    ].join('\n'),
  };
}

/** When the summary call fails: the steps themselves, one line each, so the run can still go on. */
export function mechanicalSummary(older: readonly Message[], maxChars: number): string {
  const lines: string[] = ['(The summary model call failed; these are the earlier steps, mechanically listed.)'];
  for (const m of older) {
    if (m.role === 'user' && m.content.startsWith(SUMMARY_OPEN))
      lines.push(m.content.replace(SUMMARY_OPEN, '').replace('</conversation-summary>', '').trim());
    else if (m.role === 'assistant') {
      if (m.text.trim()) lines.push(`- said: ${m.text.trim().slice(0, 300)}`);
      for (const c of m.toolCalls) lines.push(`- called ${c.name} ${c.argsJson.slice(0, 200)}`);
    } else if (m.role === 'tool' && m.isError) lines.push(`  (${m.name} failed: ${m.content.slice(0, 200)})`);
  }
  return keepEnds(lines, maxChars);
}
