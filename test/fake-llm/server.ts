// A real HTTP server that answers OpenAI Chat Completions and Anthropic Messages requests from a
// script, so integration tests run the official SDKs end to end (HTTP, SSE parsing, retries) with
// no network and no model. Faults are injected here, on top of the encoders' happy-path events.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Fault, RecordedRequest, Script, ScriptedTurn } from './script.ts';
import type { Answer, WireFormat } from './wire.ts';
import { openaiWire } from './openai-wire.ts';
import { anthropicWire } from './anthropic-wire.ts';

export interface FakeLlm {
  port: number;
  /** http://127.0.0.1:PORT/v1 — the `openai` SDK appends /chat/completions. */
  openaiBaseUrl: string;
  /** http://127.0.0.1:PORT — the Anthropic SDK appends /v1/messages. */
  anthropicBaseUrl: string;
  requests: RecordedRequest[];
  setScript(s: Script): void;
  close(): Promise<void>;
}

/** A function script gets each request and its 0-based position in `requests`, and decides the turn
 * itself; faults it returns are served every time (there is no cursor to hold back). */
export type ScriptSource = Script | ((req: RecordedRequest, index: number) => ScriptedTurn);

const DONE_TURN: ScriptedTurn = { text: 'done' };
const ROUTES: Record<string, WireFormat> = { '/v1/chat/completions': openaiWire, '/v1/messages': anthropicWire };

export interface FakeLlmOptions {
  port?: number;
  /** The model's context window: a request over it (at ~4 characters of body per token, the same
   * count the derived usage reports) is refused with a 400 in the provider's words, as real APIs do. */
  contextWindow?: number;
}

export async function startFakeLlm(script: ScriptSource, options: FakeLlmOptions = {}): Promise<FakeLlm> {
  let source = script;
  let cursor = 0;
  let faultsFired = new Set<number>(); // script positions whose fault was served once already
  let seq = 0;
  const toolIdCounters = { openai: 0, anthropic: 0 };
  // Ids are fixed per turn object and wire, so the retry of a faulted turn sees the same ids.
  const toolIds = new WeakMap<ScriptedTurn, Partial<Record<WireFormat['name'], string[]>>>();
  const requests: RecordedRequest[] = [];
  // The previous body per wire, for the prompt cache: what it shares with the next one is "cached".
  const previousBody: Partial<Record<WireFormat['name'], string>> = {};
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  // Timers are cleared on close(); the awaiting handler then never resumes, which is what we want
  // (its socket is destroyed anyway, and a pending promise does not keep the process alive).
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function take(rec: RecordedRequest): { turn: ScriptedTurn; fault: Fault | undefined } | undefined {
    if (typeof source === 'function') {
      const turn = source(rec, requests.length - 1);
      return { turn, fault: turn.fault };
    }
    const turn = source.turns[cursor];
    if (!turn) return source.strict ? undefined : { turn: DONE_TURN, fault: undefined };
    const fault = faultsFired.has(cursor) ? undefined : turn.fault;
    if (fault && !turn.consume) faultsFired.add(cursor);
    else cursor++;
    return { turn, fault };
  }

  function answerFor(turn: ScriptedTurn, wire: WireFormat, rec: RecordedRequest): Answer {
    const perWire = toolIds.get(turn) ?? {};
    toolIds.set(turn, perWire);
    const ids =
      perWire[wire.name] ??
      (turn.toolCalls ?? []).map((tc) => {
        if (tc.id !== undefined) return tc.id;
        toolIdCounters[wire.name] += 1;
        return `${wire.toolIdPrefix}${toolIdCounters[wire.name]}`;
      });
    perWire[wire.name] = ids;
    const toolCalls = (turn.toolCalls ?? []).map((tc, i) => ({
      id: ids[i]!,
      name: tc.name,
      arguments: typeof tc.arguments === 'string' ? tc.arguments : JSON.stringify(tc.arguments),
    }));
    const request = (rec.body ?? {}) as Record<string, unknown>;
    // Deterministic stand-in for a tokenizer: ~4 characters per token.
    const written = Math.ceil(((turn.text ?? '') + toolCalls.map((t) => t.arguments).join('')).length / 4);
    const cap = outputCapOf(wire.name, request);
    // Like a real provider, the reply stops where the request's output cap runs out.
    const cut = cap !== undefined && (turn.usage?.output ?? written) > cap;
    const out = cut ? cutAt(turn.text ?? '', toolCalls, cap * 4) : { text: turn.text ?? '', toolCalls };
    const derived = {
      input: inputTokens(rec.rawBody),
      output: Math.ceil((out.text + out.toolCalls.map((t) => t.arguments).join('')).length / 4),
      cached: cachedTokens(wire.name, previousBody[wire.name], rec.rawBody),
    };
    const scripted = turn.usage ? { cached: 0, ...turn.usage } : undefined;
    const usage = turn.omitUsage
      ? undefined
      : scripted
        ? { ...scripted, output: cut ? Math.min(scripted.output, cap) : scripted.output }
        : derived;
    const model = typeof request.model === 'string' ? request.model : 'fake-model';
    return { seq: ++seq, model, text: out.text, toolCalls: out.toolCalls, usage, request, cut };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const wire = req.method === 'POST' ? ROUTES[path] : undefined;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    if (!wire) return sendJson(res, 404, { error: { message: `fake-llm: no route for ${req.method} ${path}` } });

    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return sendJson(res, 400, wire.error(400, 'fake-llm: request body is not valid JSON'));
    }
    const rec: RecordedRequest = {
      wire: wire.name,
      path: req.url ?? path,
      headers: { ...req.headers },
      rawBody,
      body,
      receivedAt: Date.now(),
    };
    requests.push(rec);
    const tokens = inputTokens(rawBody);
    if (options.contextWindow !== undefined && tokens > options.contextWindow) {
      rec.overWindow = true;
      // Each in its provider's words and fields: OpenAI's code, Anthropic's type and message form.
      if (wire.name === 'openai') {
        const msg = `This model's maximum context length is ${options.contextWindow} tokens. However, your messages resulted in ${tokens} tokens.`;
        return sendJson(res, 400, wire.error(400, msg, { code: 'context_length_exceeded', param: 'messages' }));
      }
      const msg = `prompt is too long: ${tokens} tokens > ${options.contextWindow} maximum`;
      return sendJson(res, 400, wire.error(400, msg));
    }

    const picked = take(rec);
    if (!picked) {
      const msg = `fake-llm: script exhausted (strict) at request #${requests.length}`;
      // Both SDKs obey x-should-retry; retrying a script that ran out only slows the failing test.
      return sendJson(res, 500, wire.error(500, msg), { 'x-should-retry': 'false' });
    }
    const { turn, fault } = picked;
    if (turn.delayMs) await sleep(turn.delayMs);

    if (fault?.kind === 'status') {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
      const msg = fault.message ?? `fake-llm: injected ${fault.status}`;
      return sendJson(res, fault.status, wire.error(fault.status, msg, fault.errorFields), headers);
    }
    const answer = answerFor(turn, wire, rec);
    previousBody[wire.name] = rawBody;
    if (fault?.kind === 'drop' && fault.afterChunks <= 0) {
      // Nothing at all: to the client this is a connection reset before any response.
      res.socket?.destroy();
      return;
    }
    const send = answer.request.stream === true ? streamAnswer : jsonAnswer;
    // Only a complete, well-formed answer counts as reported (a stalled one does complete).
    if (await send(res, wire, answer, fault)) rec.reportedUsage = answer.usage;
  }

  const write = (res: http.ServerResponse, chunk: string) =>
    new Promise<void>((resolve) => res.write(chunk, () => resolve()));

  /** Returns true when the answer's usage went out in a well-formed, complete response. */
  async function streamAnswer(res: http.ServerResponse, wire: WireFormat, a: Answer, fault?: Fault): Promise<boolean> {
    const { events, tail, reportsUsage } = wire.stream(a);
    let all = fault?.kind === 'truncate' ? events : [...events, ...tail];
    if (fault?.kind === 'malformed') {
      const at = Math.max(1, Math.floor(events.length / 2));
      all = [...all.slice(0, at), wire.malformedEvent, ...all.slice(at)];
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    const stop = fault?.kind === 'drop' ? Math.min(fault.afterChunks, all.length) : all.length;
    for (let i = 0; i < stop; i++) {
      if (res.destroyed) return false;
      // Waiting for each write to flush makes `drop` cut exactly after the chunks it names.
      await write(res, all[i]!);
      if (fault?.kind === 'stall' && i === 0) await sleep(fault.ms);
    }
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return false;
    }
    res.end();
    return (!fault || fault.kind === 'stall') && reportsUsage;
  }

  async function jsonAnswer(res: http.ServerResponse, wire: WireFormat, a: Answer, fault?: Fault): Promise<boolean> {
    const { body, reportsUsage } = wire.json(a);
    const text = JSON.stringify(body);
    const half = text.slice(0, Math.floor(text.length / 2));
    switch (fault?.kind) {
      case 'malformed':
        sendRaw(res, 200, '{"id": this is not json');
        return false;
      case 'truncate':
        // No content-length, so the client sees a clean end of a cut-off JSON body.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(half);
        return false;
      case 'drop':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        await write(res, half);
        res.socket?.destroy();
        return false;
      case 'stall':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        await sleep(fault.ms);
        if (res.destroyed) return false;
        res.end(text);
        return reportsUsage;
      default:
        sendRaw(res, 200, text);
        return reportsUsage;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake-llm: ${String(err)}` } });
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    openaiBaseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `http://127.0.0.1:${port}`,
    requests,
    setScript(s: Script) {
      source = s;
      cursor = 0;
      faultsFired = new Set();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Keep-alive and stalled sockets would otherwise hold server.close() open forever.
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's output cap: Anthropic's max_tokens; OpenAI's max_completion_tokens, or the older
 * max_tokens. Undefined when the request sets none (OpenAI's default is the model's whole cap). */
function outputCapOf(wire: WireFormat['name'], request: Record<string, unknown>): number | undefined {
  const v = wire === 'openai' ? (request.max_completion_tokens ?? request.max_tokens) : request.max_tokens;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

/** The reply as far as `chars` characters of it (the cap in the fake's 4-characters-a-token count):
 * the text first, then the tool calls in order; the call being written when it runs out keeps its
 * arguments so far, and the calls after it are never written. */
function cutAt(text: string, calls: Answer['toolCalls'], chars: number): Pick<Answer, 'text' | 'toolCalls'> {
  const cps = Array.from(text);
  if (cps.length >= chars) return { text: cps.slice(0, chars).join(''), toolCalls: [] };
  let left = chars - cps.length;
  const kept: Answer['toolCalls'] = [];
  for (const c of calls) {
    if (left <= 0) break;
    kept.push(c.arguments.length <= left ? c : { ...c, arguments: c.arguments.slice(0, left) });
    left -= c.arguments.length;
  }
  return { text, toolCalls: kept };
}

/** The fake's tokenizer: ~4 characters of request body per token. */
function inputTokens(rawBody: string): number {
  return Math.ceil(rawBody.length / 4);
}

/** A prompt cache like the providers': the start this body shares with the previous one is read from
 * cache. OpenAI caches automatically from 1024 tokens on, in steps of 128; Anthropic only where the
 * request asks for it with cache_control. */
function cachedTokens(wire: WireFormat['name'], previous: string | undefined, body: string): number {
  if (previous === undefined) return 0;
  let i = 0;
  const n = Math.min(previous.length, body.length);
  while (i < n && previous.charCodeAt(i) === body.charCodeAt(i)) i++;
  const tokens = Math.floor(i / 4);
  if (wire === 'anthropic') return body.includes('"cache_control"') ? tokens : 0;
  return tokens >= 1024 ? tokens - (tokens % 128) : 0;
}

function sendRaw(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(res, status, JSON.stringify(body), headers);
}
