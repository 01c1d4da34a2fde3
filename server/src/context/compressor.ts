// Keeping the conversation inside the window without an LLM: tool outputs over a size are cut when
// they enter the conversation (once, so the prompt's bytes never change afterwards), and when the
// conversation nears the window, old tool results the model has already acted on are shortened —
// all at once, so the prompt cache misses once instead of every turn.
import type { Message } from '../models/types.ts';

/** Characters one tool result may keep: a share of the window (~4 characters per token), bounded. */
export function toolOutputCap(windowTokens: number): number {
  return Math.max(2_000, Math.min(40_000, Math.floor(windowTokens * 4 * 0.15)));
}

const HOW_TO_GET_THE_REST: Record<string, string> = {
  read: 'call read with offset and limit to see the part you need',
  grep: 'narrow the pattern or the path, or pass nextCursor to page',
  find: 'narrow the pattern or the path',
  ls: 'list a subfolder, or use a smaller depth',
  bash: 'run the command again with its output narrowed (| head, | tail, | grep) or redirected to a file you then read in pages',
  fetch: 'fetch with a smaller max_bytes, or a more specific URL',
};

/** Cuts the middle out of a long tool output, keeping its start and end, and says what was cut and
 * how to get it. Returns the content unchanged when it fits. */
export function truncateToolOutput(tool: string, content: string, cap: number): { content: string; cut: number } {
  if (content.length <= cap) return { content, cut: 0 };
  const head = Math.floor(cap * 0.7);
  const tail = cap - head;
  const cut = content.length - head - tail;
  const how = HOW_TO_GET_THE_REST[tool] ?? 'call the tool again with narrower arguments';
  const note = `\n\n[Agio cut ${cut.toLocaleString('en-US')} of ${content.length.toLocaleString('en-US')} characters from the middle of this output to fit the context window. To see the rest, ${how}.]\n\n`;
  return { content: content.slice(0, head) + note + content.slice(content.length - tail), cut };
}

export const SHORTENED_MARK = '[Agio shortened this result';
const KEEP_WHEN_SHORTENED = 400;

/** Shortens tool results older than the last `keepTurns` assistant messages — the model has acted on
 * them since. Returns a new array (untouched messages are the same objects) and how many changed. */
export function shortenActedOn(
  messages: readonly Message[],
  keepTurns: number,
): { messages: Message[]; shortened: number } {
  let seen = 0;
  // Messages before this index are old enough to shorten (with keepTurns 0, all of them).
  let boundary = keepTurns === 0 ? messages.length : 0;
  for (let i = messages.length - 1; i >= 0 && keepTurns > 0; i--) {
    if (messages[i]!.role === 'assistant' && ++seen === keepTurns) {
      boundary = i;
      break;
    }
  }
  let shortened = 0;
  const out = messages.map((m, i) => {
    if (
      i >= boundary ||
      m.role !== 'tool' ||
      m.content.length <= KEEP_WHEN_SHORTENED * 2 ||
      m.content.includes(SHORTENED_MARK)
    )
      return m;
    shortened++;
    const note = `\n${SHORTENED_MARK} from ${m.content.length.toLocaleString('en-US')} characters: you already acted on it. Call ${m.name} again if you need it.]`;
    return { ...m, content: m.content.slice(0, KEEP_WHEN_SHORTENED) + note };
  });
  return { messages: out, shortened };
}
