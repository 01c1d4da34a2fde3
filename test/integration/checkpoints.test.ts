// Checkpoints and `agio restore`: a run that creates, edits, runs a command (which changes a binary
// file, makes one file and deletes another) and overwrites; then the workspace is put back before a
// chosen step, byte for byte, without touching what the run did not make or what git ignores.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

let fake: FakeLlm;
before(async () => (fake = await startFakeLlm({ turns: [] })));
after(() => fake.close());

const BINARY = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13, 10, 0]);

it('restores the workspace to before any step, byte-exact, deleting only what the run created', async () => {
  const s = scratch({
    'a.txt': 'alpha\r\nline two\r\n',
    'd.txt': 'to be deleted\n',
    '.gitignore': 'node_modules\n',
    'node_modules/dep.js': 'original\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'sub/.git/HEAD': 'nested\n',
  });
  writeFileSync(join(s.workspace, 'b.bin'), BINARY);
  const snapshot = () =>
    Object.fromEntries(
      [
        'a.txt',
        'b.bin',
        'c.txt',
        'd.txt',
        'new.txt',
        'node_modules/dep.js',
        '.git/HEAD',
        'sub/.git/HEAD',
        'user.txt',
      ].map((f) => [
        f,
        existsSync(join(s.workspace, f)) ? readFileSync(join(s.workspace, f)).toString('base64') : null,
      ]),
    );
  const initial = snapshot();
  try {
    fake.setScript({
      turns: [
        { toolCalls: [{ name: 'write', arguments: { path: 'new.txt', content: 'made by the run\n' } }] },
        {
          toolCalls: [
            { name: 'edit', arguments: { path: 'a.txt', edits: [{ old_text: 'line two', new_text: 'line 2' }] } },
          ],
        },
        {
          toolCalls: [
            {
              name: 'bash',
              arguments: {
                command: "printf 'X' >> b.bin && echo made > c.txt && rm d.txt && echo changed > node_modules/dep.js",
              },
            },
          ],
        },
        { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'rewritten\n' } }] },
        { text: 'done' },
      ],
    });
    const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
    const base = ['--store', s.store];
    const run = await runAgio(
      [
        'run',
        '--json',
        '--provider',
        'openai',
        '--base-url',
        fake.openaiBaseUrl,
        '--model',
        'm',
        ...base,
        '--cwd',
        s.workspace,
        '--approval',
        'full-auto',
        'change things',
      ],
      { env },
    );
    assert.equal(run.code, 0, run.stderr);
    const events = parseEventLines(run.stdout);
    assertRunContract(events);
    const checkpoints = ofType(events, 'checkpoint');
    assert.deepEqual(
      checkpoints.map((c) => [c.step, c.kind]),
      [
        [1, 'write'],
        [2, 'write'],
        [3, 'exec'],
        [4, 'write'],
      ],
    );
    // The first command's snapshot is a baseline: .gitignore, b.bin, d.txt. a.txt and new.txt were saved
    // by their writes already; node_modules is ignored; no .git folder is ever read.
    assert.equal(checkpoints[2]!.files, 3);
    const runId = events[0]!.runId;
    const afterRun = snapshot();
    // Something the user makes after the run, and what the run left in the ignored folder.
    writeFileSync(join(s.workspace, 'user.txt'), 'mine\n');

    const dry = await runAgio(['restore', runId, '--to-step', '3', '--dry-run', ...base], { env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /modify\s+a\.txt/);
    assert.match(dry.stdout, /modify\s+b\.bin/);
    assert.match(dry.stdout, /delete\s+c\.txt\s+\(created by the run\)/);
    assert.match(dry.stdout, /recreate\s+d\.txt/);
    assert.match(dry.stdout, /→\s+3\s+\$ printf 'X' >> b\.bin/, 'the steps are listed, the chosen one marked');
    const planPart = dry.stdout.slice(dry.stdout.indexOf('restoring would put'));
    assert.doesNotMatch(
      planPart,
      /new\.txt|user\.txt|dep\.js|HEAD/,
      "step 3 keeps steps 1 and 2; the rest is not the run's",
    );
    assert.deepEqual({ ...snapshot(), 'user.txt': null }, afterRun, '--dry-run changes nothing');

    // Before step 3: the state right after the edit of step 2.
    const to3 = await runAgio(['restore', runId, '--to-step', '3', ...base], { env });
    assert.equal(to3.code, 0, to3.stderr);
    assert.equal(readFileSync(join(s.workspace, 'a.txt'), 'utf8'), 'alpha\r\nline 2\r\n');
    assert.deepEqual(readFileSync(join(s.workspace, 'b.bin')), BINARY);
    assert.equal(existsSync(join(s.workspace, 'c.txt')), false);
    assert.equal(readFileSync(join(s.workspace, 'd.txt'), 'utf8'), 'to be deleted\n');
    assert.equal(readFileSync(join(s.workspace, 'new.txt'), 'utf8'), 'made by the run\n');

    // Before the whole run: byte for byte as it was, except what Agio never tracked or did not make.
    const all = await runAgio(['restore', runId, ...base], { env });
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(snapshot(), {
      ...initial,
      'user.txt': Buffer.from('mine\n').toString('base64'),
      'node_modules/dep.js': Buffer.from('changed\n').toString('base64'),
    });
    const again = await runAgio(['restore', runId, '--dry-run', ...base], { env });
    assert.match(again.stdout, /nothing to change/);
  } finally {
    s.cleanup();
  }
});

it('refuses a step the run does not have and a run with no checkpoints, saying why', async () => {
  const s = scratch({ 'a.txt': 'A' });
  try {
    fake.setScript({ turns: [{ toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] }, { text: 'done' }] });
    const env = { OPENAI_API_KEY: 'k', XDG_CONFIG_HOME: join(s.root, 'config') };
    const run = await runAgio(
      [
        'run',
        '--json',
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
        'look',
      ],
      { env },
    );
    const runId = parseEventLines(run.stdout)[0]!.runId;
    const none = await runAgio(['restore', runId, '--store', s.store], { env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /has no checkpoints: it wrote no file and ran no command/);
    const bad = await runAgio(['restore', runId, '--to-step', 'x', '--store', s.store], { env });
    assert.match(bad.stderr, /--to-step must be a step number/);
  } finally {
    s.cleanup();
  }
});
