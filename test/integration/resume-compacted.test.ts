// Resume after a compaction, through the real CLI and the fake model: a run compacts, is killed with
// SIGKILL while a command runs, and is resumed. The resumed run must send the compacted conversation
// (rebuilt from the log's compaction_end), not the one from before the compaction, and must not pay
// for a second summary.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { RecordedRequest } from '../fake-llm/script.ts';
import { ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

const started: FakeLlm[] = [];
after(() => Promise.all(started.map((f) => f.close())));

const isSummaryRequest = (r: RecordedRequest) => r.rawBody.includes('You compact the conversation of Agio');
const messagesOf = (r: RecordedRequest) => (r.body as { messages: unknown[] }).messages;

it('a run killed after it compacted resumes with the compacted conversation and no second summary call', {
  timeout: 120_000,
}, async () => {
  const WINDOW = 16_000;
  const s = scratch({ 'a.ts': 'export const a = 1;\n' });
  let turn = 0;
  // The model's own long messages fill the window (tool results would only be shortened), so the
  // conversation is compacted after a few turns; then it runs a long command, during which it is killed.
  const fake = await startFakeLlm(
    (req) => {
      if (isSummaryRequest(req)) return { text: 'SUMMARY-7f3: wrote several long notes, read a.ts each time.' };
      if (req.rawBody.includes('Outcome unknown')) return { text: 'done' };
      if (req.rawBody.includes('SUMMARY-7f3'))
        return { toolCalls: [{ name: 'bash', arguments: { command: 'echo started; sleep 5' } }] };
      turn++;
      return {
        text: `NOTE-${turn}-START ${'a long note about the code '.repeat(180)}`,
        toolCalls: [{ name: 'read', arguments: { path: 'a.ts' } }],
      };
    },
    { contextWindow: WINDOW },
  );
  started.push(fake);
  try {
    const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
    const base = [
      '--provider',
      'openai',
      '--base-url',
      fake.openaiBaseUrl,
      '--model',
      'small',
      '--context-window',
      String(WINDOW),
      '--store',
      s.store,
    ];
    let compacted = false;
    const first = await runAgio(
      ['run', '--json', ...base, '--cwd', s.workspace, '--approval', 'full-auto', 'take notes, then wait'],
      {
        env,
        timeoutMs: 60_000,
        onStdout: (chunk, child) => {
          if (chunk.includes('"compaction_end"')) compacted = true;
          if (compacted && chunk.includes('"tool_output"')) child.kill('SIGKILL');
        },
      },
    );
    assert.equal(first.signal, 'SIGKILL', first.stderr);
    const live = parseEventLines(first.stdout.slice(0, first.stdout.lastIndexOf('\n') + 1));
    const end = ofType(live, 'compaction_end')[0]!;
    assert.ok(end.ok && end.replaced, 'the compaction recorded what it replaced');
    const beforeKill = fake.requests.length;
    const lastSent = fake.requests.filter((r) => !isSummaryRequest(r)).at(-1)!;
    assert.match(lastSent.rawBody, /SUMMARY-7f3/, 'the request that led to the command was the compacted one');

    const resumed = await runAgio(['resume', live[0]!.runId, '--json', ...base], { env, timeoutMs: 60_000 });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(ofType(parseEventLines(resumed.stdout), 'run_end')[0]!.status, 'completed');
    const after = fake.requests.slice(beforeKill);
    assert.equal(after.filter(isSummaryRequest).length, 0, 'no second summary call');
    const firstAfter = after[0]!;
    assert.match(firstAfter.rawBody, /SUMMARY-7f3/);
    assert.doesNotMatch(firstAfter.rawBody, /NOTE-1-START/, 'the turns the summary replaced are not sent again');
    assert.match(firstAfter.rawBody, /Outcome unknown/);
    // Exactly what the model last saw, then the command's call and its unknown outcome.
    const sent = messagesOf(lastSent);
    const resent = messagesOf(firstAfter);
    assert.deepEqual(resent.slice(0, sent.length), sent);
    assert.equal(resent.length, sent.length + 2);
  } finally {
    s.cleanup();
  }
});
