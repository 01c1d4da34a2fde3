// Anthropic Messages through the official `@anthropic-ai/sdk`.
import type Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, Tool as WireTool } from '@anthropic-ai/sdk/resources/messages';
import { classifyError, incompleteStream, stalledStream } from './errors.ts';
import { DEFAULT_STREAM_IDLE_MS, streamWatchdog } from './stream-watchdog.ts';
import { observedFetch, type RetryObserver } from './observed-fetch.ts';
import type { DriverOptions, Message, ModelDriver, ModelRequest, ToolCallRequest, Usage } from './types.ts';

export async function createAnthropicDriver(opts: DriverOptions): Promise<ModelDriver> {
  const { default: AnthropicClient } = await import('@anthropic-ai/sdk');
  let observer: RetryObserver | undefined;
  const client: Anthropic = new AnthropicClient({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL ?? null,
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 600_000,
    fetch: observedFetch(() => observer),
  });
  let toolsCache: { from: ModelRequest['tools']; wire: WireTool[] } | undefined;

  return {
    provider: 'anthropic',
    model: opts.model,
    async complete(req, signal, cb) {
      const idleMs = opts.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_MS;
      const idle = streamWatchdog(signal, idleMs);
      observer = { onRetry: cb.onRetry, onAttempt: idle.touch, onWaiting: idle.waiting };
      if (toolsCache?.from !== req.tools) toolsCache = { from: req.tools, wire: toWireTools(req.tools) };
      let text = '';
      try {
        const stream = await client.messages.create(
          {
            // Keys in prompt order (tools, system, messages), so the JSON body's prefix is as stable as the prompt's.
            model: opts.model,
            max_tokens: req.maxOutputTokens,
            ...(toolsCache.wire.length > 0 ? { tools: toolsCache.wire } : {}),
            system: req.cache?.system ? [{ type: 'text', text: req.system, cache_control: EPHEMERAL }] : req.system,
            messages: toWireMessages(req.messages, new Set(req.cache?.messages ?? [])),
            stream: true,
          },
          { signal: idle.signal },
        );
        // Blocks arrive by index; tool_use input arrives as JSON fragments.
        const calls = new Map<number, ToolCallRequest>();
        const order = new Map<number, number>();
        const usage: Usage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reported: false };
        let stopReason = 'unknown';
        let stopped = false;
        for await (const ev of stream) {
          idle.touch();
          switch (ev.type) {
            case 'message_start': {
              const u = ev.message.usage;
              usage.cachedTokens = u.cache_read_input_tokens ?? 0;
              // input_tokens excludes cache reads and writes; we report all input, cached included.
              usage.inputTokens = u.input_tokens + usage.cachedTokens + (u.cache_creation_input_tokens ?? 0);
              usage.outputTokens = u.output_tokens;
              usage.reported = true;
              break;
            }
            case 'content_block_start':
              if (ev.content_block.type === 'tool_use') {
                const call = { id: ev.content_block.id, name: ev.content_block.name, argsJson: '' };
                calls.set(ev.index, call);
                // Block indexes count text blocks too; a call's position counts only tool calls.
                order.set(ev.index, order.size);
                cb.onToolCallDelta?.({ index: order.size - 1, ...call });
              }
              break;
            case 'content_block_delta':
              if (ev.delta.type === 'text_delta') {
                text += ev.delta.text;
                cb.onTextDelta(ev.delta.text);
              } else if (ev.delta.type === 'input_json_delta') {
                const call = calls.get(ev.index);
                if (call) {
                  call.argsJson += ev.delta.partial_json;
                  cb.onToolCallDelta?.({ index: order.get(ev.index) ?? 0, ...call });
                }
              }
              break;
            case 'message_delta':
              stopReason = ev.delta.stop_reason ?? stopReason;
              usage.outputTokens = ev.usage.output_tokens;
              break;
            case 'message_stop':
              stopped = true;
              break;
          }
        }
        // The SDKs end the iteration quietly when the request is aborted: say why it ended.
        if (idle.stalled) return { ok: false, error: stalledStream('anthropic', idleMs), partialText: text };
        if (signal.aborted)
          return { ok: false, error: classifyError(signal.reason, 'anthropic', signal), partialText: text };
        if (!stopped) return { ok: false, error: incompleteStream('anthropic'), partialText: text };
        // A tool call with no arguments streams no JSON at all; the API means {}.
        const toolCalls = [...calls.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([, c]) => ({ ...c, argsJson: c.argsJson || '{}' }));
        return { ok: true, text, toolCalls, stopReason, usage };
      } catch (err) {
        const error = idle.stalled ? stalledStream('anthropic', idleMs) : classifyError(err, 'anthropic', signal);
        return { ok: false, error, partialText: text };
      } finally {
        idle.dispose();
        observer = undefined;
      }
    },
  };
}

export function toWireTools(tools: ModelRequest['tools']): WireTool[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.parameters as WireTool['input_schema'],
  }));
}

/** Anthropic wants strict user/assistant alternation and tool results inside a user message. */
/** `cacheAt`: indexes of messages whose last block carries a cache breakpoint. */
export function toWireMessages(messages: readonly Message[], cacheAt: ReadonlySet<number> = new Set()): MessageParam[] {
  const out: MessageParam[] = [];
  const pushUser = (block: ContentBlockParam) => {
    const last = out[out.length - 1];
    if (last?.role === 'user' && Array.isArray(last.content)) last.content.push(block);
    else out.push({ role: 'user', content: [block] });
  };
  // cache_control goes last in the block, so the block's bytes up to its end are the same as without it.
  const mark = <B extends ContentBlockParam>(block: B, i: number): B =>
    cacheAt.has(i) ? { ...block, cache_control: EPHEMERAL } : block;
  messages.forEach((m, i) => {
    if (m.role === 'user') pushUser(mark({ type: 'text', text: m.content }, i));
    else if (m.role === 'tool') {
      pushUser(
        mark(
          { type: 'tool_result', tool_use_id: m.callId, content: m.content, ...(m.isError ? { is_error: true } : {}) },
          i,
        ),
      );
    } else {
      const content: ContentBlockParam[] = [];
      if (m.text) content.push({ type: 'text', text: m.text });
      for (const c of m.toolCalls)
        content.push({ type: 'tool_use', id: c.id, name: c.name, input: parseInput(c.argsJson) });
      // The API rejects an empty assistant message; an empty reply still needs a turn in the history.
      if (content.length === 0) content.push({ type: 'text', text: '(no reply)' });
      content[content.length - 1] = mark(content[content.length - 1]!, i);
      out.push({ role: 'assistant', content });
    }
  });
  return out;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/** The API needs an object; arguments the model got wrong were already reported to it as an error. */
function parseInput(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
