// What the CLI prints for a person (not --json): the replay shows what was shown live, diffs of
// approvals included; counts are pluralized; an unpriced model's cost is unknown, not $0.0000; and
// `agio runs` is a table with a header and a workspace column that fits 80 columns.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { runAgio, scratch, type Scratch } from './helpers.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

function run(s: Scratch, turns: ScriptedTurn[], extra: string[], env: Record<string, string> = {}, task = 'the task') {
  fake.setScript({ turns });
  return runAgio(
    [
      'run',
      '--provider',
      'openai',
      '--base-url',
      fake.openaiBaseUrl,
      '--model',
      'm',
      '--store',
      s.store,
      '--cwd',
      s.workspace,
      ...extra,
      task,
    ],
    { env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config'), NO_COLOR: '1', ...env } },
  );
}

describe('human output', () => {
  it('agio replay prints what the run printed live, the diff that was asked about included', async () => {
    const s = scratch({ 'a.txt': 'hello\nworld\n' });
    try {
      const live = await run(
        s,
        [
          {
            toolCalls: [
              { name: 'edit', arguments: { path: 'a.txt', edits: [{ old_text: 'world', new_text: 'there' }] } },
            ],
          },
          { text: 'could not edit' },
        ],
        ['--approval', 'ask'],
      );
      assert.equal(live.code, 0, live.stderr);
      assert.match(live.stdout, /⚙ edit a\.txt \(1 edit\)\n/, 'one edit, not "1 edits"');
      assert.match(
        live.stdout,
        /\? needs approval: .*\n {4}--- a\/a\.txt\n {4}\+\+\+ b\/a\.txt\n {4}@@ -1,2 \+1,2 @@\n {5}hello\n {4}-world\n {4}\+there\n/,
      );
      assert.match(live.stdout, /✗ denied: no one is available/);
      assert.match(live.stdout, /completed · 2 turns · 1 tool call · /, 'singular where it is one');
      const id = /run (\w+)/.exec(live.stdout)![1]!;
      const replay = await runAgio(['replay', id, '--store', s.store], { env: { NO_COLOR: '1' } });
      assert.equal(replay.code, 0, replay.stderr);
      assert.equal(replay.stdout, live.stdout, 'the replay is what was shown live');
    } finally {
      s.cleanup();
    }
  });

  it('an unpriced model costs "unknown", in the summary and in agio runs; a priced one shows dollars', async () => {
    const s = scratch();
    try {
      const unpriced = await run(s, [{ text: 'hi', usage: { input: 1000, output: 10 } }], []);
      assert.equal(unpriced.code, 0, unpriced.stderr);
      assert.match(unpriced.stdout, /completed · 1 turn · 0 tool calls · 1000 in \/ 10 out tokens · cost unknown · /);
      assert.doesNotMatch(unpriced.stdout, /\$0\.0000/);

      const prices = join(s.root, 'prices.json');
      writeFileSync(prices, JSON.stringify({ m: { input: 2, output: 8 } }));
      const priced = await run(s, [{ text: 'hi', usage: { input: 1000, output: 10 } }], [], { AGIO_PRICES: prices });
      assert.match(priced.stdout, / · \$0\.0021 · /, '1000 × $2/M + 10 × $8/M');

      const runs = await runAgio(['runs', '--store', s.store], { env: { COLUMNS: '80' } });
      const [header, newest, oldest] = runs.stdout.trimEnd().split('\n');
      assert.match(header!, /^ID +STARTED +STATUS +.*COST +WORKSPACE +TASK$/);
      assert.match(newest!, /\$0\.0021 /);
      assert.match(oldest!, / unknown /);
    } finally {
      s.cleanup();
    }
  });

  it('agio runs: a header, aligned columns, the workspace, all within 80 columns', async () => {
    const s = scratch();
    try {
      const longTask = 'refactor the configuration loader so that every settings file is read once per run and cached';
      await run(s, [{ text: 'ok' }], [], {}, longTask);
      await run(s, [{ text: 'ok' }], [], {}, 'short one');
      const table = await runAgio(['runs', '--store', s.store], { env: { COLUMNS: '80' } });
      assert.equal(table.code, 0, table.stderr);
      const lines = table.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      for (const l of lines) assert.ok([...l].length <= 80, `fits 80 columns: ${l}`);
      const col = (name: string) => lines[0]!.indexOf(name);
      assert.ok(
        lines.slice(1).every((l) => l.slice(col('STATUS')).startsWith('completed')),
        'STATUS is aligned',
      );
      assert.ok(
        lines
          .slice(1)
          .every(
            (l) =>
              l.slice(col('WORKSPACE')).startsWith('…/ws ') || l.slice(col('WORKSPACE')).startsWith(`${s.workspace} `),
          ),
        'the workspace shows its own folder name',
      );
      assert.ok(lines[2]!.slice(col('TASK')).startsWith('refactor the'), 'the task column is aligned');
      assert.ok(lines[2]!.endsWith('…'), 'a long task is cut with …');
      assert.ok(lines[1]!.endsWith('short one'));
      const wide = await runAgio(['runs', '--store', s.store], { env: { COLUMNS: '200' } });
      assert.match(wide.stdout, /TURNS +TOKENS/, 'a wide terminal shows turns and tokens too');
      assert.ok(wide.stdout.includes(longTask) && wide.stdout.includes(s.workspace));
      const json = await runAgio(['runs', '--json', '--store', s.store]);
      assert.equal(JSON.parse(json.stdout.split('\n')[0]!).cwd, s.workspace, '--json keeps its fields');
    } finally {
      s.cleanup();
    }
  });
});
