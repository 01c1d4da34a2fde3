// A command's live output as events: the head streams, one marker, the tail at the end; bounded
// bytes per call; tiny chunks coalesced; nothing after end(). Real timers where timing matters.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import {
  elisionMarker,
  LIVE_OUTPUT_LIMITS,
  LiveOutput,
  type LiveOutputLimits,
  type OutputStream,
} from '../../../server/src/agent/live-output.ts';
import { Redactor } from '../../../server/src/policy/secrets.ts';

type Emitted = { stream: OutputStream; chunk: string };

function recorder(limits: Partial<LiveOutputLimits> = {}) {
  const events: Emitted[] = [];
  // Timers far away unless a test wants them: everything then comes out at end(), or when the tail
  // pushes the head out.
  const all = { ...LIVE_OUTPUT_LIMITS, flushMs: 60_000, quietMs: 60_000, ...limits };
  const live = new LiveOutput((stream, chunk) => events.push({ stream, chunk }), new Redactor(), all);
  return { events, live, limits: all, text: () => events.map((e) => e.chunk).join('') };
}

/** 1,000,000 characters of numbered lines, so any slice of it is recognisably that slice. */
function numberedLines(chars: number): string {
  let s = '';
  for (let i = 0; s.length < chars; i++) s += `line ${String(i).padStart(7, '0')}\n`;
  return s.slice(0, chars);
}

test('a small output comes out whole, one event per run of a stream, in order', () => {
  const r = recorder();
  r.live.write('stdout', 'hel');
  r.live.write('stdout', 'lo\n');
  r.live.write('stderr', 'warn\n');
  r.live.write('stdout', 'bye\n');
  assert.deepEqual(r.events, [], 'held until a flush');
  r.live.end();
  assert.deepEqual(r.events, [
    { stream: 'stdout', chunk: 'hello\n' },
    { stream: 'stderr', chunk: 'warn\n' },
    { stream: 'stdout', chunk: 'bye\n' },
  ]);
});

test('1 MB in 4 KB chunks: the first 25,000 characters, one marker, the last 25,000, and little else', () => {
  const r = recorder();
  const input = numberedLines(1_000_000);
  for (let i = 0; i < input.length; i += 4096) r.live.write('stdout', input.slice(i, i + 4096));
  r.live.end();
  const marker = elisionMarker(r.limits);
  assert.equal(r.text(), input.slice(0, 25_000) + marker + input.slice(-25_000));
  assert.equal(r.events.filter((e) => e.chunk === marker).length, 1, 'one marker event');
  const markerAt = r.events.findIndex((e) => e.chunk === marker);
  assert.equal(
    r.events
      .slice(0, markerAt)
      .map((e) => e.chunk)
      .join(''),
    input.slice(0, 25_000),
    'head first',
  );
  assert.equal(
    r.events
      .slice(markerAt + 1)
      .map((e) => e.chunk)
      .join(''),
    input.slice(-25_000),
    'tail after',
  );
  // 245 chunks came in; the head and the tail go out as one event each.
  assert.equal(r.events.length, 3);
  assert.match(marker, /not kept/);
  assert.match(marker, /redirect the command's output to a file/);
});

test('the bytes kept per call do not grow with the output', () => {
  const sizes: number[] = [];
  for (const chars of [200_000, 2_000_000]) {
    const r = recorder();
    const chunk = 'a'.repeat(65_536);
    for (let n = 0; n < chars; n += chunk.length) r.live.write('stdout', chunk);
    r.live.end();
    sizes.push(r.text().length);
  }
  const marker = elisionMarker(LIVE_OUTPUT_LIMITS).length;
  assert.deepEqual(sizes, [50_000 + marker, 50_000 + marker]);
});

test('both streams: the tail keeps the order the chunks arrived in', () => {
  const r = recorder({ headChars: 10, tailChars: 10 });
  r.live.write('stdout', 'aaaaaaaaaa'); // exactly the head
  r.live.write('stdout', 'x'.repeat(20)); // past it: the marker goes on stdout
  r.live.write('stderr', 'EE');
  r.live.write('stdout', 'yyy');
  r.live.end();
  // The tail is the last 10 characters in arrival order: 5 x's, EE, yyy.
  assert.deepEqual(r.events, [
    { stream: 'stdout', chunk: 'aaaaaaaaaa' },
    { stream: 'stdout', chunk: elisionMarker(r.limits) },
    { stream: 'stdout', chunk: 'xxxxx' },
    { stream: 'stderr', chunk: 'EE' },
    { stream: 'stdout', chunk: 'yyy' },
  ]);
});

test('output that just fits the head has no marker; one more character brings it', () => {
  const fits = recorder({ headChars: 10, tailChars: 10 });
  fits.live.write('stdout', '0123456789');
  fits.live.end();
  assert.deepEqual(fits.events, [{ stream: 'stdout', chunk: '0123456789' }]);

  const over = recorder({ headChars: 10, tailChars: 10 });
  over.live.write('stdout', '0123456789!');
  over.live.end();
  assert.equal(over.text(), `0123456789${elisionMarker(over.limits)}!`);
});

test('thousands of tiny chunks become a few events: at most one per flush interval', async () => {
  const r = recorder({ flushMs: 50, quietMs: 100 });
  const t0 = performance.now();
  let written = '';
  for (let i = 0; i < 3000; i++) {
    const piece = `${i % 10}`;
    r.live.write('stdout', piece);
    written += piece;
    if (i % 100 === 0) await sleep(10); // ~300 ms of writing
  }
  const elapsed = performance.now() - t0;
  r.live.end();
  assert.equal(r.text(), written);
  // A flush every 50 ms at most, plus what the carry-over held and the end.
  assert.ok(r.events.length <= elapsed / 50 + 3, `${r.events.length} events over ${elapsed.toFixed(0)} ms`);
  assert.ok(r.events.length < 30);
});

test('a stream that goes quiet shows what it held back, without waiting for the end', async () => {
  const r = recorder({ flushMs: 10, quietMs: 40 });
  r.live.write('stdout', 'started 4242\n');
  await sleep(25);
  assert.deepEqual(r.events, [], 'not yet quiet: a credential could still be completing');
  await sleep(150);
  assert.deepEqual(r.events, [{ stream: 'stdout', chunk: 'started 4242\n' }]);
  r.live.end();
  assert.equal(r.events.length, 1, 'nothing shown twice');
});

test('after end() nothing more is emitted, not even by a pending timer', async () => {
  const r = recorder({ flushMs: 5, quietMs: 5 });
  r.live.write('stdout', 'one\n');
  r.live.end();
  r.live.write('stdout', 'late\n');
  await sleep(40);
  assert.deepEqual(r.events, [{ stream: 'stdout', chunk: 'one\n' }]);
});
