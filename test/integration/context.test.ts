// The context subsystem through the real CLI and SDKs against the fake LLM server: a long run in a
// small window (tool outputs cut, old results shortened, compaction as events, no request over the
// window), a prompt prefix that stays byte-stable from turn to turn, rules files, @-mentions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { RecordedRequest, ScriptedTurn } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';

const started: FakeLlm[] = [];
after(() => Promise.all(started.map((f) => f.close())));

async function fakeWith(
  script: (req: RecordedRequest, i: number) => ScriptedTurn,
  contextWindow?: number,
): Promise<FakeLlm> {
  const f = await startFakeLlm(script, contextWindow === undefined ? {} : { contextWindow });
  started.push(f);
  return f;
}

async function agio(
  s: Scratch,
  fake: FakeLlm,
  provider: 'openai' | 'anthropic',
  task: string,
  extra: string[] = [],
  timeoutMs = 30_000,
) {
  const run = await runAgio(
    [
      'run',
      '--json',
      '--provider',
      provider,
      '--base-url',
      provider === 'openai' ? fake.openaiBaseUrl : fake.anthropicBaseUrl,
      '--store',
      s.store,
      '--cwd',
      s.workspace,
      ...extra,
      task,
    ],
    { env: { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') }, timeoutMs },
  );
  const events = parseEventLines(run.stdout);
  assertRunContract(events);
  return { ...run, events, status: ofType(events, 'run_end')[0]!.status };
}

const isSummaryRequest = (r: RecordedRequest) => r.rawBody.includes('You compact the conversation of Agio');
const modelTurns = (f: FakeLlm) => f.requests.filter((r) => !isSummaryRequest(r));

function lines(n: number, tag: string): string {
  return `${Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(2)}`).join('\n')}\n`;
}

describe('a long run in a small window', () => {
  it('300 turns whose outputs overflow a 16k window: the run completes, compaction is an event, no request exceeds the window', async () => {
    const WINDOW = 16_000;
    const TURNS = 300;
    const files: Record<string, string> = {};
    for (let f = 0; f < 20; f++) files[`src/f${f}.txt`] = lines(300, `file ${f}`);
    const s = scratch(files);
    let turn = 0;
    const fake = await fakeWith((req) => {
      if (isSummaryRequest(req))
        return { text: `The task: read the files in turn. Progress: about ${turn} steps done. Nothing is broken.` };
      turn++;
      if (turn > TURNS) return { text: 'all read' };
      // Different file and page each turn (so no-progress detection stays quiet), ~6 kB each.
      const f = turn % 20;
      const offset = 1 + ((Math.floor(turn / 20) * 20) % 280);
      return {
        text: `Step ${turn}.`,
        toolCalls: [{ name: 'read', arguments: { path: `src/f${f}.txt`, offset, limit: 60 } }],
      };
    }, WINDOW);
    try {
      const run = await agio(
        s,
        fake,
        'openai',
        'read every file, page by page',
        ['--model', 'small', '--context-window', String(WINDOW), '--approval', 'read-only'],
        240_000,
      );
      assert.equal(run.status, 'completed', run.stderr);
      assert.equal(ofType(run.events, 'turn_start').length, TURNS + 1);
      // Compaction happened, more than once, each as a start/end pair, each with a summary.
      const starts = ofType(run.events, 'compaction_start');
      const ends = ofType(run.events, 'compaction_end');
      assert.ok(starts.length >= 3, `compacted ${starts.length} times`);
      assert.equal(ends.length, starts.length);
      for (const e of ends) {
        assert.ok(e.ok, e.error);
        assert.ok(
          e.tokensAfter < e.tokensBefore,
          `compaction shrank the conversation (${e.tokensBefore} → ${e.tokensAfter})`,
        );
        assert.match(e.summary ?? '', /The task: read the files/);
      }
      assert.ok(starts.every((e) => e.reason === 'threshold' && e.window === WINDOW));
      // No request was refused for its size, and the largest stayed inside the window.
      assert.equal(fake.requests.filter((r) => r.overWindow).length, 0);
      const largest = Math.max(...fake.requests.map((r) => Math.ceil(r.rawBody.length / 4)));
      assert.ok(largest <= WINDOW, `largest request ${largest} tokens`);
      // After a compaction the model gets the summary, and still the task itself.
      const last = modelTurns(fake).at(-1)!.rawBody;
      assert.match(last, /conversation-summary/);
      assert.match(last, /read every file, page by page/);
      // The window's fullness was reported before every model call.
      assert.equal(ofType(run.events, 'context_usage').length, TURNS + 1);
      assert.ok(ofType(run.events, 'context_usage').every((e) => e.window === WINDOW && e.tokens < WINDOW));
    } finally {
      s.cleanup();
    }
  });

  it('a tool output over the per-result cap reaches the model cut in the middle, with a note; the log keeps it whole', async () => {
    const s = scratch();
    let n = 0;
    const fake = await fakeWith(() =>
      ++n === 1 ? { toolCalls: [{ name: 'bash', arguments: { command: 'seq 1 20000' } }] } : { text: 'done' },
    );
    try {
      const run = await agio(s, fake, 'openai', 'count', [
        '--model',
        'small',
        '--context-window',
        '16000',
        '--approval',
        'full-auto',
      ]);
      assert.equal(run.status, 'completed', run.stderr);
      const result = ofType(run.events, 'tool_result')[0]!;
      assert.match(result.result.output, /\n20000\n?/, 'the log has the whole output');
      const sent = JSON.parse(fake.requests[1]!.rawBody) as { messages: { role: string; content: string }[] };
      const tool = sent.messages.find((m) => m.role === 'tool')!.content;
      assert.ok(tool.length < 11_000, `the model got ${tool.length} characters`);
      assert.match(tool, /^\S*1\n2\n3\n/m);
      assert.match(tool, /\n20000/);
      assert.match(
        tool,
        /Agio cut [\d,]+ of [\d,]+ characters from the middle of this output.*run the command again with its output narrowed/s,
      );
      assert.equal(ofType(run.events, 'context_usage')[1]!.shortened, 1);
    } finally {
      s.cleanup();
    }
  });
});

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

describe('a prompt prefix that stays cacheable', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: over 50 turns each request starts with the previous one byte for byte, and the provider reports cached tokens`, async () => {
      const files: Record<string, string> = {};
      for (let f = 0; f < 10; f++) files[`src/m${f}.ts`] = lines(80, `module ${f}`);
      const s = scratch(files);
      let turn = 0;
      const fake = await fakeWith(() => {
        turn++;
        return turn > 50
          ? { text: 'done' }
          : {
              text: `Looking at part ${turn}.`,
              toolCalls: [
                { name: 'read', arguments: { path: `src/m${turn % 10}.ts`, offset: 1 + (turn % 7) * 10, limit: 20 } },
              ],
            };
      });
      try {
        const model = provider === 'openai' ? 'gpt-4.1' : 'claude-sonnet-4-5';
        const run = await agio(s, fake, provider, 'study the modules', ['--model', model, '--approval', 'read-only']);
        assert.equal(run.status, 'completed', run.stderr);
        const bodies = fake.requests.map((r) => r.rawBody);
        assert.equal(bodies.length, 51);
        let ofCurrent = 0;
        for (let i = 1; i < bodies.length; i++) {
          const prev = bodies[i - 1]!;
          const shared = sharedPrefix(prev, bodies[i]!);
          // Everything of the previous request but its closing (the end of the JSON, and for
          // Anthropic the cache breakpoint that moves to the newest message) is repeated verbatim.
          assert.ok(
            prev.length - shared < 120,
            `request ${i + 1} diverges ${prev.length - shared} bytes before the end of request ${i}`,
          );
          ofCurrent += shared / bodies[i]!.length;
        }
        assert.ok(
          ofCurrent / (bodies.length - 1) > 0.9,
          `average share of a request that is the previous one: ${ofCurrent / (bodies.length - 1)}`,
        );
        // The provider's cached-token counts reach the usage events (and the totals).
        const usage = ofType(run.events, 'usage');
        assert.ok(
          usage.slice(2).every((u) => u.cachedTokens > 0),
          'cached tokens reported from the third request on',
        );
        assert.equal(
          ofType(run.events, 'run_end')[0]!.totals.cachedTokens,
          usage.reduce((n, u) => n + u.cachedTokens, 0),
        );
        if (provider === 'anthropic') {
          const body = JSON.parse(bodies.at(-1)!) as {
            system: { cache_control?: unknown }[];
            messages: { content: { cache_control?: unknown }[] }[];
          };
          assert.deepEqual(body.system[0]!.cache_control, { type: 'ephemeral' });
          const marked = body.messages.flatMap((m) => m.content).filter((b) => b.cache_control !== undefined);
          assert.equal(marked.length, 1, 'one moving breakpoint, on the newest block');
          assert.equal(body.messages.at(-1)!.content.at(-1)!.cache_control !== undefined, true);
        }
        // Tools come first, sorted by name, and never change.
        const tools = bodies.map((b) => JSON.stringify((JSON.parse(b) as { tools: unknown }).tools));
        assert.ok(tools.every((t) => t === tools[0]));
      } finally {
        s.cleanup();
      }
    });
  }
});

describe('rules files and mentions', () => {
  it('AGENTS.md and .agio/rules go in the system prompt; a subfolder AGENTS.md arrives when the run first touches that folder', async () => {
    const s = scratch({
      'AGENTS.md': 'Root rule: indent with tabs.\n',
      '.agio/rules/b-style.md': 'Style rule: no semicolons.\n',
      '.agio/rules/a-tests.md': 'Test rule: run npm test.\n',
      'pkg/AGENTS.md': 'Package rule: never touch generated files.\n',
      'pkg/a.ts': 'export const a = 1\n',
      'pkg/b.ts': 'export const b = 2\n',
    });
    let n = 0;
    const fake = await fakeWith(() => {
      n++;
      if (n <= 2) return { toolCalls: [{ name: 'read', arguments: { path: n === 1 ? 'pkg/a.ts' : 'pkg/b.ts' } }] };
      return { text: 'done' };
    });
    try {
      const run = await agio(s, fake, 'openai', 'look at pkg', ['--model', 'gpt-4.1', '--approval', 'read-only']);
      assert.equal(run.status, 'completed', run.stderr);
      const sys = (i: number) =>
        (JSON.parse(fake.requests[i]!.rawBody) as { messages: { role: string; content: string }[] }).messages;
      const system = sys(0)[0]!.content;
      assert.match(system, /## AGENTS\.md\nRoot rule: indent with tabs\./);
      // .agio/rules by name, after the root file.
      assert.ok(
        system.indexOf('Test rule') > system.indexOf('Root rule') &&
          system.indexOf('Style rule') > system.indexOf('Test rule'),
      );
      assert.doesNotMatch(fake.requests[0]!.rawBody, /Package rule/);
      // Second request: after the read of pkg/a.ts, the package's rules as a message of their own.
      const second = sys(1);
      assert.equal(second.at(-2)!.role, 'tool');
      assert.equal(second.at(-1)!.role, 'user');
      assert.match(second.at(-1)!.content, /<rules file="pkg\/AGENTS\.md">[\s\S]*Package rule/);
      // Only once: the second read in pkg adds nothing.
      assert.equal(fake.requests[2]!.rawBody.split('Package rule').length - 1, 1);
      const added = ofType(run.events, 'context_added');
      assert.deepEqual(
        added[0]!.items.map((i) => i.label),
        ['AGENTS.md', '.agio/rules/a-tests.md', '.agio/rules/b-style.md'],
      );
      assert.equal(added[0]!.parentId, run.events[0]!.id);
      assert.deepEqual(
        added[1]!.items.map((i) => i.label),
        ['pkg/AGENTS.md'],
      );
      assert.equal(run.events.find((e) => e.id === added[1]!.parentId)!.type, 'tool_call');
      // The system prompt is the same bytes on every turn.
      assert.ok([1, 2].every((i) => sys(i)[0]!.content === system));
    } finally {
      s.cleanup();
    }
  });

  it('@file, @folder and @git-changes in a CLI task are read (through the policy) into the first message; @url in ask mode is denied headless', async () => {
    const s = scratch({
      'src/app.ts': 'export function add(a, b) { return a - b }\n',
      'docs/guide.md': '# Guide\n',
      'README.md': 'hello\n',
    });
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: s.workspace });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    writeFileSync(join(s.workspace, 'README.md'), 'hello, changed\n');
    mkdirSync(join(s.workspace, 'new'));
    writeFileSync(join(s.workspace, 'new', 'untracked.txt'), 'x\n');
    const fake = await fakeWith(() => ({ text: 'done' }));
    try {
      const run = await agio(
        s,
        fake,
        'openai',
        'fix @src/app.ts, see @docs/ and @git-changes, and @https://example.invalid/spec. Mail me@example.com.',
        ['--model', 'gpt-4.1', '--approval', 'ask'],
      );
      assert.equal(run.status, 'completed', run.stderr);
      const first = (JSON.parse(fake.requests[0]!.rawBody) as { messages: { role: string; content: string }[] })
        .messages[1]!.content;
      assert.match(first, /^fix @src\/app\.ts/);
      assert.match(
        first,
        /<attached kind="file" path="src\/app\.ts">\n1\texport function add\(a, b\) \{ return a - b \}/,
      );
      assert.match(first, /<attached kind="folder" path="docs">[\s\S]*guide\.md/);
      assert.match(
        first,
        /<attached kind="git-changes">[\s\S]*-hello\n\+hello, changed[\s\S]*Untracked files:\nnew\/untracked\.txt/,
      );
      assert.doesNotMatch(first, /kind="url"/);
      const items = ofType(run.events, 'context_added').find(
        (e) => e.parentId === run.events[0]!.id && e.items.some((i) => i.kind !== 'rules'),
      )!.items;
      assert.deepEqual(
        items.map((i) => [i.kind, i.ok]),
        [
          ['file', true],
          ['folder', true],
          ['git-changes', true],
          ['url', false],
        ],
      );
      assert.match(items[3]!.note ?? '', /denied|approv/i);
      // The reads were tool calls of turn 1, through the policy (the URL asked and was denied).
      const calls = ofType(run.events, 'tool_call');
      assert.deepEqual(
        calls.map((c) => c.tool),
        ['read', 'ls', 'fetch'],
      );
      assert.ok(calls.every((c) => c.callId.startsWith('agio-attach-')));
      assert.equal(ofType(run.events, 'approval_decision').find((d) => d.decision === 'deny')?.by, 'headless');
    } finally {
      s.cleanup();
    }
  });
});

describe('compaction on demand from the CLI', () => {
  it("agio resume --compact summarizes the interrupted run's older turns before its first model call", async () => {
    const s = scratch({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const fake = await fakeWith((req) => {
      if (isSummaryRequest(req)) return { text: 'SUMMARY: read a.ts and b.ts, then started a long command.' };
      if (req.rawBody.includes('Outcome unknown')) return { text: 'done' };
      const results = (req.rawBody.match(/"role":"tool"/g) ?? []).length;
      if (results === 0) return { toolCalls: [{ name: 'read', arguments: { path: 'a.ts' } }] };
      if (results === 1) return { toolCalls: [{ name: 'read', arguments: { path: 'b.ts' } }] };
      if (results === 2) return { toolCalls: [{ name: 'bash', arguments: { command: 'echo started; sleep 5' } }] };
      return { text: 'done' };
    });
    try {
      const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
      const base = ['--provider', 'openai', '--base-url', fake.openaiBaseUrl, '--model', 'gpt-4.1', '--store', s.store];
      // Killed while its command runs: an interrupted run, as a crash leaves it.
      const first = await runAgio(
        ['run', '--json', ...base, '--cwd', s.workspace, '--approval', 'full-auto', 'read both, then wait'],
        {
          env,
          onStdout: (chunk, child) => {
            if (chunk.includes('"tool_output"')) child.kill('SIGKILL');
          },
        },
      );
      assert.equal(first.signal, 'SIGKILL');
      const runId = parseEventLines(first.stdout.slice(0, first.stdout.lastIndexOf('\n') + 1))[0]!.runId;
      const resumed = await runAgio(['resume', runId, '--json', '--compact', '--store', s.store], { env });
      assert.equal(resumed.code, 0, resumed.stderr);
      const events = parseEventLines(resumed.stdout);
      const start = ofType(events, 'compaction_start')[0]!;
      assert.equal(start.reason, 'user');
      assert.equal(ofType(events, 'compaction_end')[0]!.ok, true);
      const last = modelTurns(fake).at(-1)!.rawBody;
      assert.match(last, /SUMMARY: read a\.ts and b\.ts/);
      assert.doesNotMatch(last, /export const a = 1/);
      assert.match(last, /Outcome unknown/, 'the interrupted command, kept verbatim in the last turn');
      assert.equal(ofType(events, 'run_end')[0]!.status, 'completed');
      const refused = await runAgio(['run', '--compact', ...base, '--cwd', s.workspace, 'x'], { env });
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /--compact goes with agio resume/);
    } finally {
      s.cleanup();
    }
  });
});
