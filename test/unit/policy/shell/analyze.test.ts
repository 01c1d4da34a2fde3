import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { analyzeCommand } from '../../../../server/src/policy/shell/analyze.ts';
import { EVASIONS } from './cases-evasion.ts';
import { MORE } from './cases-more.ts';
import { REQUIRED } from './cases-required.ts';
import { TARGETS } from './cases-targets.ts';
import { check, makeFixture, removeFixture } from './fixture.ts';

const fx = makeFixture();
after(() => removeFixture(fx));
const opts = { root: fx.root, home: fx.home };

for (const c of [...REQUIRED, ...MORE, ...EVASIONS, ...TARGETS]) {
  test(`classify ${JSON.stringify(c.input).slice(0, 70)}`, async () => {
    check(c, await analyzeCommand(c.input, opts));
  });
}

test('the table is large enough', () => {
  assert.ok(REQUIRED.length + MORE.length + EVASIONS.length >= 80);
});

test('5,000 nested $( is unparseable, fast', async () => {
  const t0 = performance.now();
  const r = await analyzeCommand('$('.repeat(5000), opts);
  const ms = performance.now() - t0;
  assert.equal(r.parsed, false);
  assert.ok(r.concerns.some((c) => c.kind === 'unparseable'));
  assert.ok(ms < 1000, `took ${ms} ms`);
});

test('deeply nested but closed substitutions hit the depth bound, fast', async () => {
  const t0 = performance.now();
  const r = await analyzeCommand(`echo ${'$('.repeat(3000)}x${')'.repeat(3000)}`, opts);
  assert.equal(r.parsed, false);
  assert.match(r.concerns.find((c) => c.kind === 'unparseable')?.detail ?? '', /too complex/);
  assert.ok(performance.now() - t0 < 1000);
});

test('a NUL byte is rejected before parsing', async () => {
  const r = await analyzeCommand('ls\0rm -rf ~', opts);
  assert.deepEqual(r, {
    parsed: false,
    commands: [],
    concerns: [{ kind: 'unparseable', detail: 'the line contains a NUL character' }],
  });
});

test('nested bash -c beyond the bound is unparseable', async () => {
  let s = 'id';
  for (let i = 0; i < 8; i++) s = `bash -c ${JSON.stringify(s)}`;
  const r = await analyzeCommand(s, opts);
  assert.equal(r.parsed, false);
});

test('commands keep via, env and dynamic argument marks', async () => {
  const r = await analyzeCommand('sudo env FOO=1 rm -rf "$x" y', opts);
  const rm = r.commands.find((c) => c.name === 'rm');
  assert.deepEqual(rm?.via, ['sudo', 'env']);
  assert.deepEqual(rm?.env, [{ name: 'FOO', value: '1' }]);
  assert.deepEqual(rm?.args, ['-rf', '"$x"', 'y']);
  assert.deepEqual(rm?.dynamicArgs, [1]);
  const idx = r.commands.indexOf(rm!);
  assert.ok(r.concerns.some((c) => c.kind === 'writes_files' && c.command === idx));
});

test('a typical call is fast once the parser is loaded', async () => {
  await analyzeCommand('ls', opts);
  const t0 = performance.now();
  for (let i = 0; i < 50; i++)
    await analyzeCommand('npm test && git status && cat src/x.ts | grep -n foo > out.txt', opts);
  const per = (performance.now() - t0) / 50;
  assert.ok(per < 20, `${per} ms per call`);
});

test('git in a workspace without .git may pick up a repository written there', async () => {
  const r = await analyzeCommand('git status', { root: `${fx.tmp}/nogit`, home: fx.home });
  assert.ok(
    r.concerns.some((c) => c.kind === 'hidden_command'),
    JSON.stringify(r.concerns),
  );
});
