// The approval prompt on a real terminal (a pseudo-terminal): what it shows, and that Ctrl-C at it
// cancels the run (exit 130, status cancelled, nothing written) rather than counting as a "no".
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { AGIO_BIN, ofType, parseEventLines, runAgio, scratch, type Scratch } from './helpers.ts';
import { hasScript, onPty } from './pty.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

function agioOnPty(s: Scratch, turns: ScriptedTurn[], config = join(s.root, 'config')) {
  fake.setScript({ turns });
  fake.requests.length = 0;
  return onPty(
    [
      process.execPath,
      '--liftoff-only',
      AGIO_BIN,
      'run',
      '--provider',
      'openai',
      '--base-url',
      fake.openaiBaseUrl,
      '--model',
      'm',
      '--approval',
      'ask',
      '--store',
      s.store,
      '--cwd',
      s.workspace,
      'write a file',
    ],
    {
      PATH: process.env.PATH!,
      HOME: s.root,
      XDG_CONFIG_HOME: config,
      LANG: 'C.UTF-8',
      NO_COLOR: '1',
      OPENAI_API_KEY: 'k',
    },
  );
}

async function storedStatus(s: Scratch): Promise<string> {
  const runs = await runAgio(['runs', '--json', '--store', s.store]);
  assert.equal(runs.code, 0, runs.stderr);
  return (JSON.parse(runs.stdout.trim().split('\n')[0]!) as { status: string }).status;
}

const WRITE: ScriptedTurn[] = [
  { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'hello\n' } }] },
  { text: 'wrote it' },
];

describe('the approval prompt on a terminal', {
  skip: hasScript() ? false : 'util-linux script is not installed',
}, () => {
  it('Ctrl-C at the prompt cancels the run: exit 130, status cancelled, the file not written', async () => {
    const s = scratch();
    try {
      const pty = agioOnPty(s, WRITE);
      await pty.waitFor(/Allow\? \[y\]es \/ \[n\]o \/ \[a\]lways: /);
      pty.type('\x03');
      assert.equal(await pty.exited, 130, pty.screen());
      assert.equal(existsSync(join(s.workspace, 'a.txt')), false, 'nothing was written');
      assert.equal(await storedStatus(s), 'cancelled');
      assert.equal(fake.requests.length, 1, 'the model was not called again after the cancel');
      assert.match(pty.screen(), /cancelled/);
    } finally {
      s.cleanup();
    }
  });

  it('"always" keeps its rule in your config for this workspace: the next run there is not asked, another workspace still is', async () => {
    const a = scratch();
    const b = scratch();
    const config = join(a.root, 'config');
    try {
      const pty = agioOnPty(
        a,
        [{ toolCalls: [{ name: 'write', arguments: { path: 'src/a.txt', content: 'a\n' } }] }, { text: 'ok' }],
        config,
      );
      await pty.waitFor(/Allow\? \[y\]es \/ \[n\]o \/ \[a\]lways: /);
      pty.type('a\r');
      assert.equal(await pty.exited, 0, pty.screen());
      assert.deepEqual(
        readdirSync(a.workspace, { recursive: true }).sort(),
        ['src', 'src/a.txt'],
        'nothing but the written file appeared in the workspace',
      );
      const granted = JSON.parse(
        readFileSync(join(config, 'agio', 'workspace-policy.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
      ) as Record<string, unknown>;
      assert.deepEqual(granted, { [a.workspace]: { paths: { allow: ['src/**'] } } });
      assert.match(
        pty.screen(),
        new RegExp(`rule saved: allow src/\\*\\* for ${a.workspace} in ${config}/agio/workspace-policy\\.json`),
      );

      // Headless runs (no one to ask): a call that asks is denied, so "not asked" is visible as done.
      const again = (s: Scratch) => {
        fake.setScript({
          turns: [{ toolCalls: [{ name: 'write', arguments: { path: 'src/b.txt', content: 'b\n' } }] }, { text: 'ok' }],
        });
        return runAgio(
          [
            'run',
            '--json',
            '--provider',
            'openai',
            '--base-url',
            fake.openaiBaseUrl,
            '--model',
            'm',
            '--approval',
            'ask',
            '--store',
            s.store,
            '--cwd',
            s.workspace,
            'again',
          ],
          { env: { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: config } },
        );
      };
      const same = parseEventLines((await again(a)).stdout);
      assert.equal(ofType(same, 'approval_request').length, 0, 'the same workspace follows the saved rule');
      assert.match(ofType(same, 'approval_decision')[0]!.reason, /path rule "allow src\/\*\*"/);
      assert.equal(readFileSync(join(a.workspace, 'src/b.txt'), 'utf8'), 'b\n');

      const other = parseEventLines((await again(b)).stdout);
      assert.equal(ofType(other, 'approval_request').length, 1, 'another workspace still asks');
      assert.equal(existsSync(join(b.workspace, 'src/b.txt')), false);
    } finally {
      a.cleanup();
      b.cleanup();
    }
  });

  it('y at the prompt writes the file and the run completes', async () => {
    const s = scratch();
    try {
      const pty = agioOnPty(s, WRITE);
      await pty.waitFor(/Allow\? .*: /);
      const asked = pty.screen();
      assert.equal(
        asked.split('write tools need approval in ask mode').length - 1,
        1,
        `the reason is said once:\n${asked}`,
      );
      assert.match(asked, /\+hello/, 'the diff is shown before the question');
      await new Promise((r) => setTimeout(r, 400));
      pty.type('y\r');
      assert.equal(await pty.exited, 0, pty.screen());
      // The call's own time and the wait for the answer, apart.
      const m = /✓ write a\.txt · (\d+) ms \(waited (\d+) ms for approval\)/.exec(pty.screen());
      assert.ok(m, pty.screen());
      assert.ok(Number(m[2]) >= 400, `waited ${m[2]} ms`);
      assert.ok(Number(m[1]) < 400, `the write itself took ${m[1]} ms`);
      assert.equal(existsSync(join(s.workspace, 'a.txt')), true);
      assert.equal(await storedStatus(s), 'completed');
    } finally {
      s.cleanup();
    }
  });
});
