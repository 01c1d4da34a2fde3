// The floor the agent-loop bench compares Agio against: the same OpenAI SDK calls, the same tool
// schemas and the same file reads and commands, with no agent around them (no events, no store, no
// policy, no validation). Takes Agio's `run` flags so the bench can start both the same way:
//   node bench/bare-loop.ts run --json --provider openai --base-url URL --model M --cwd DIR "task"
// Prints one JSON line at the end: turns, tool calls, loop time and the last request's size.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { systemPrompt } from '../server/src/context/system-prompt.ts';
import { toolSpecs } from '../server/src/tools/registry.ts';

const { values, positionals } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    model: { type: 'string' },
    cwd: { type: 'string' },
    // Accepted for symmetry with `agio run`; a bare loop has no use for them.
    json: { type: 'boolean' },
    provider: { type: 'string' },
    approval: { type: 'string' },
    store: { type: 'string' },
  },
  allowPositionals: true,
});
const cwd = await fs.realpath(values.cwd ?? process.cwd());
const task = positionals.slice(positionals[0] === 'run' ? 1 : 0).join(' ');

async function readTool(args: { path: string }): Promise<string> {
  const lines = (await fs.readFile(path.resolve(cwd, args.path), 'utf8')).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const width = String(lines.length).length;
  return lines.map((l, i) => `${String(i + 1).padStart(width)}\t${l}`).join('\n');
}

function bashTool(args: { command: string }): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', args.command], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', (e) => resolve(`Could not run bash: ${e.message}`));
    child.on('close', (code) => resolve(`exit code: ${code}\nstdout:\n${stdout}${stderr ? `stderr:\n${stderr}` : ''}`));
  });
}

async function runTool(name: string, argsJson: string): Promise<string> {
  try {
    const args = JSON.parse(argsJson || '{}');
    if (name === 'read') return await readTool(args);
    if (name === 'bash') return await bashTool(args);
    return `unknown tool ${name}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const client = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY ?? 'no-key',
  baseURL: values['base-url'] ?? null,
  maxRetries: 2,
});
// Built once, like Agio does: the schemas are the same objects on every request.
const tools: ChatCompletionTool[] = toolSpecs().map((t) => ({
  type: 'function',
  function: { name: t.name, description: t.description, parameters: t.parameters },
}));
const messages: ChatCompletionMessageParam[] = [
  { role: 'system', content: systemPrompt({ cwd, approval: 'full-auto', platform: process.platform }) },
  { role: 'user', content: task },
];

const t0 = performance.now();
let turns = 0;
let toolCalls = 0;
let lastText = '';
for (;;) {
  turns++;
  const stream = await client.chat.completions.create({
    model: values.model ?? 'm',
    messages,
    tools,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const calls: { id: string; name: string; args: string }[] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) text += delta.content;
    for (const tc of delta?.tool_calls ?? []) {
      calls[tc.index] ??= { id: '', name: '', args: '' };
      const c = calls[tc.index]!;
      if (tc.id) c.id = tc.id;
      if (tc.function?.name) c.name += tc.function.name;
      if (tc.function?.arguments) c.args += tc.function.arguments;
    }
  }
  lastText = text;
  if (calls.length === 0) {
    messages.push({ role: 'assistant', content: text });
    break;
  }
  messages.push({
    role: 'assistant',
    content: text || null,
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.args } })),
  });
  for (const c of calls) {
    toolCalls++;
    messages.push({ role: 'tool', tool_call_id: c.id, content: await runTool(c.name, c.args) });
  }
}
const loopMs = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ turns, toolCalls, loopMs, messages: messages.length, lastText })}\n`);
