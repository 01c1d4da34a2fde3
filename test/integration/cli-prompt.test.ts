// The approval prompt on a real terminal (a pseudo-terminal): what it shows, and that Ctrl-C at it
// cancels the run (exit 130, status cancelled, nothing written) rather than counting as a "no".
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { AGIO_BIN, runAgio, scratch, type Scratch } from './helpers.ts';
import { hasScript, onPty } from './pty.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

function agioOnPty(s: Scratch, turns: ScriptedTurn[], extra: string[] = []) {
  fake.setScript({ turns });
  return onPty(
    [process.execPath, '--liftoff-only', AGIO_BIN, 'run', '--provider', 'openai', '--base-url', fake.openaiBaseUrl, '--model', 'm',
      '--approval', 'ask', '--store', s.store, '--cwd', s.workspace, ...extra, 'write a file'],
    { PATH: process.env.PATH!, HOME: s.root, XDG_CONFIG_HOME: join(s.root, 'config'), LANG: 'C.UTF-8', NO_COLOR: '1', OPENAI_API_KEY: 'k' },
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

describe('the approval prompt on a terminal', { skip: hasScript() ? false : 'util-linux script is not installed' }, () => {
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

  it('y at the prompt writes the file and the run completes', async () => {
    const s = scratch();
    try {
      const pty = agioOnPty(s, WRITE);
      await pty.waitFor(/Allow\? .*: /);
      pty.type('y\r');
      assert.equal(await pty.exited, 0, pty.screen());
      assert.equal(existsSync(join(s.workspace, 'a.txt')), true);
      assert.equal(await storedStatus(s), 'completed');
    } finally {
      s.cleanup();
    }
  });
});
