// OpenAI Chat Completions through the official `openai` SDK. Also serves every OpenAI-compatible
// endpoint (Ollama, LM Studio, vLLM, OpenRouter, DeepSeek, Groq) through the base URL.
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { classifyError, incompleteStream, stalledStream } from './errors.ts';
import { DEFAULT_STREAM_IDLE_MS, streamWatchdog } from './stream-watchdog.ts';
import { observedFetch, type RetryObserver } from './observed-fetch.ts';
import type { DriverOptions, Message, ModelDriver, ModelRequest, ToolCallRequest, Usage } from './types.ts';

export async function createOpenAIDriver(opts: DriverOptions): Promise<ModelDriver> {
  // Loaded on first use: the SDK is a large part of start-up otherwise (DESIGN §7).
  const { default: OpenAIClient } = await import('openai');
  let observer: RetryObserver | undefined;
  const client: OpenAI = new OpenAIClient({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL ?? null,
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 600_000,
    fetch: observedFetch(() => observer),
  });
  let toolsCache: { from: ModelRequest['tools']; wire: ChatCompletionTool[] } | undefined;

  return {
    provider: 'openai',
    model: opts.model,
    async complete(req, signal, cb) {
      const idleMs = opts.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_MS;
      const idle = streamWatchdog(signal, idleMs);
      observer = { onRetry: cb.onRetry, onAttempt: idle.touch, onWaiting: idle.waiting };
      if (toolsCache?.from !== req.tools) toolsCache = { from: req.tools, wire: toWireTools(req.tools) };
      let text = '';
      try {
        const stream = await client.chat.completions.create(
          {
            // Tools before messages: the JSON body then grows only at the end of its messages, like the prompt.
            model: opts.model,
            ...(toolsCache.wire.length > 0 ? { tools: toolsCache.wire } : {}),
            messages: toWireMessages(req.system, req.messages),
            // After the messages, so a cap lowered by the budget leaves the body's prefix as it was.
            ...outputCap(opts.baseURL, req.maxOutputTokens),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal: idle.signal },
        );
        const calls = new Map<number, ToolCallRequest>();
        let stopReason: string | undefined;
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          idle.touch();
          if (chunk.usage) usage = chunk.usage;
          const choice = chunk.choices[0];
          if (!choice) continue;
          const delta = choice.delta;
          if (delta?.content) {
            text += delta.content;
            cb.onTextDelta(delta.content);
          }
          for (const tc of delta?.tool_calls ?? []) {
            const call = calls.get(tc.index) ?? { id: '', name: '', argsJson: '' };
            if (tc.id) call.id = tc.id;
            if (tc.function?.name) call.name += tc.function.name;
            if (tc.function?.arguments) call.argsJson += tc.function.arguments;
            calls.set(tc.index, call);
            // The id falls back as the finished call's does, so the partial and the whole call agree.
            if (call.name !== '')
              cb.onToolCallDelta?.({
                index: tc.index,
                id: call.id || `call_${tc.index}`,
                name: call.name,
                argsJson: call.argsJson,
              });
          }
          if (choice.finish_reason) stopReason = choice.finish_reason;
        }
        // The SDKs end the iteration quietly when the request is aborted: say why it ended.
        if (idle.stalled) return { ok: false, error: stalledStream('openai', idleMs), partialText: text };
        if (signal.aborted)
          return { ok: false, error: classifyError(signal.reason, 'openai', signal), partialText: text };
        if (stopReason === undefined) return { ok: false, error: incompleteStream('openai'), partialText: text };
        const toolCalls = [...calls.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
        return { ok: true, text, toolCalls, stopReason, usage: readUsage(usage) };
      } catch (err) {
        const error = idle.stalled ? stalledStream('openai', idleMs) : classifyError(err, 'openai', signal);
        return { ok: false, error, partialText: text };
      } finally {
        idle.dispose();
        observer = undefined;
      }
    },
  };
}

/** The output cap under the name the endpoint knows: OpenAI's own API (and Azure's) take
 * `max_completion_tokens` and refuse `max_tokens` for reasoning models; the OpenAI-compatible servers
 * (Ollama, vLLM, LM Studio, DeepSeek, OpenRouter) all read `max_tokens`, and not all of them the newer name. */
export function outputCap(
  baseURL: string | undefined,
  tokens: number,
): { max_completion_tokens: number } | { max_tokens: number } {
  const host = baseURL === undefined ? 'api.openai.com' : hostOf(baseURL);
  return host === 'api.openai.com' || host.endsWith('.openai.azure.com')
    ? { max_completion_tokens: tokens }
    : { max_tokens: tokens };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function readUsage(u: OpenAI.CompletionUsage | undefined): Usage {
  if (!u) return { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reported: false };
  // prompt_tokens already includes the cached ones; we keep that meaning (input = all input).
  return {
    inputTokens: u.prompt_tokens,
    outputTokens: u.completion_tokens,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    reported: true,
  };
}

export function toWireTools(tools: ModelRequest['tools']): ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

export function toWireMessages(system: string, messages: readonly Message[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: system }];
  for (const m of messages) {
    if (m.role === 'user') out.push({ role: 'user', content: m.content });
    else if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.callId, content: m.content });
    else if (m.toolCalls.length === 0) out.push({ role: 'assistant', content: m.text });
    else
      out.push({
        role: 'assistant',
        content: m.text || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.argsJson },
        })),
      });
  }
  return out;
}
