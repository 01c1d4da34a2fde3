// Builds the request for one model call so that its prefix stays byte-identical from one turn to the
// next, which is what providers' prompt caches key on: the tool definitions first and always in the
// same order, then the system prompt (no clock, no counters), then the conversation, which only ever
// grows at its end between compactions. Anthropic gets explicit cache breakpoints on that prefix.
import type { Message, ModelRequest, ToolSpec } from '../models/types.ts';

const sortedCache = new WeakMap<readonly ToolSpec[], readonly ToolSpec[]>();

/** The tools by name, computed once per tool list (the same array in, the same array out). */
export function stableTools(tools: readonly ToolSpec[]): readonly ToolSpec[] {
  let sorted = sortedCache.get(tools);
  if (!sorted) {
    sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    sortedCache.set(tools, sorted);
  }
  return sorted;
}

export function assembleRequest(parts: {
  system: string;
  tools: readonly ToolSpec[];
  messages: readonly Message[];
  maxOutputTokens: number;
}): ModelRequest {
  const last = parts.messages.length - 1;
  return {
    system: parts.system,
    tools: stableTools(parts.tools),
    messages: parts.messages,
    maxOutputTokens: parts.maxOutputTokens,
    // One breakpoint after tools + system (reused by every turn), one on the newest message (the next
    // turn reads it back: Anthropic finds an earlier breakpoint within 20 blocks). A breakpoint is
    // never moved backwards, so earlier bytes never change.
    cache: { system: true, messages: last >= 0 ? [last] : [] },
  };
}
