// Tool calls the model is still writing, as `tool_call_delta` events: enough for a card to show the
// call and its growing size, few enough that a 200 KB `write` (thousands of chunks) stays a handful of
// events. A call's first chunk is reported; after it, one when 100 ms passed since the call's last
// report (a slow model still shows progress) or its arguments doubled (a fast stream shows a few
// steps, and a call of n characters costs at most log2(n) of them).
import type { EventDraft } from '../protocol/events.ts';
import type { PartialToolCall } from '../models/types.ts';

const MIN_INTERVAL_MS = 100;
/** The argument keys that say what a call is about, in the order they are looked for. */
const PREVIEW_KEYS = ['path', 'command', 'pattern', 'url'] as const;
const PREVIEW_CHARS = 120;

interface Reported {
  chars: number;
  at: number;
  preview?: string;
}

export class StreamedCalls {
  private readonly emit: (draft: EventDraft) => void;
  private readonly turnId: string;
  private readonly now: () => number;
  private reported = new Map<string, Reported>();

  constructor(emit: (draft: EventDraft) => void, turnId: string, now: () => number = () => performance.now()) {
    this.emit = emit;
    this.turnId = turnId;
    this.now = now;
  }

  /** A new attempt of the model call streams its calls from nothing: report them afresh. */
  reset(): void {
    this.reported = new Map();
  }

  onDelta(call: PartialToolCall): void {
    const last = this.reported.get(call.id);
    const chars = call.argsJson.length;
    const at = this.now();
    if (last && !(chars > last.chars && (at - last.at >= MIN_INTERVAL_MS || chars >= 2 * last.chars))) return;
    // Looked for only when reporting, and no more once found: the scan is O(n) in the arguments.
    const preview = last?.preview ?? argsPreview(call.argsJson);
    this.reported.set(call.id, { chars, at, ...(preview !== undefined ? { preview } : {}) });
    this.emit({
      type: 'tool_call_delta',
      parentId: this.turnId,
      callId: call.id,
      tool: call.name,
      index: call.index,
      argsChars: chars,
      ...(preview !== undefined ? { preview } : {}),
    });
  }
}

/** The first of the call's telling keys whose string value is complete in the partial JSON. A key can
 * only match where the JSON has a key: inside a string value, its quotes would be escaped. */
export function argsPreview(partialJson: string): string | undefined {
  for (const key of PREVIEW_KEYS) {
    const m = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(partialJson);
    if (!m) continue;
    try {
      const value = JSON.parse(`"${m[1]}"`) as string;
      return value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS - 1)}…` : value;
    } catch {
      // An escape the model got wrong: no preview from this key.
    }
  }
  return undefined;
}
