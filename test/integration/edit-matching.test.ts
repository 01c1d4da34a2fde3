// edit's tolerant matching through the real CLI and a scripted model: what lands on disk is exactly
// what the rules say — a Python block re-indented to the depth it was found at, an ambiguous edit in
// a file mixing CRLF and LF refused with the bytes untouched, a file created from an empty
// old_text, curly quotes matched by plain ones — and every result tells the model what happened.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeLlm, type FakeLlm } from '../fake-llm/server.ts';
import type { ScriptedTurn } from '../fake-llm/script.ts';
import { assertRunContract, ofType, parseEventLines, runAgio, scratch } from './helpers.ts';

const APP_PY = `def handle(request):
    if request.user:
        return render(request)
    return redirect("/login")
`;
const MIXED = 'header\r\nvalue = 1\r\nend\r\nvalue = 1\nend\n';
const QUOTES = 'title = “Agio — an agent”\n';

const edit = (path: string, old_text: string, new_text: string): ScriptedTurn => ({
  toolCalls: [{ name: 'edit', arguments: { path, edits: [{ old_text, new_text }] } }],
});

const SCRIPT: ScriptedTurn[] = [
  // The model copied the `if` without the function's indentation.
  edit(
    'app.py',
    'if request.user:\n    return render(request)\n',
    'if request.user:\n    log(request)\n    return render(request)\n',
  ),
  edit('mixed.txt', 'value = 1\nend', 'value = 2\nend'),
  edit('docs/NOTES.md', '', '# Notes\n'),
  edit('quotes.py', 'title = "Agio - an agent"', 'title = "Agio"'),
  { text: 'Done.' },
];

describe('edit matching through agio run', () => {
  let fake: FakeLlm;
  before(async () => (fake = await startFakeLlm({ turns: SCRIPT, strict: true })));
  after(() => fake.close());

  it('re-indents, refuses the ambiguous edit byte for byte, creates, and matches look-alikes', async () => {
    const s = scratch({ 'app.py': APP_PY, 'mixed.txt': MIXED, 'quotes.py': QUOTES });
    try {
      const run = await runAgio(
        [
          'run',
          '--json',
          '--approval',
          'auto-edit',
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
          'log every request',
        ],
        { env: { OPENAI_API_KEY: 'test-key' } },
      );
      assert.equal(run.code, 0, `exit 0; stderr: ${run.stderr}`);
      const events = parseEventLines(run.stdout);
      assertRunContract(events);
      const results = ofType(events, 'tool_result').map((r) => r.result);
      assert.equal(results.length, 4);

      assert.equal(
        readFileSync(join(s.workspace, 'app.py'), 'utf8'),
        `def handle(request):
    if request.user:
        log(request)
        return render(request)
    return redirect("/login")
`,
      );
      assert.equal(results[0]!.ok, true, results[0]!.output);
      assert.match(results[0]!.output, /new_text was re-indented by 4 spaces more to match/);

      assert.deepEqual(readFileSync(join(s.workspace, 'mixed.txt')), Buffer.from(MIXED), 'mixed.txt untouched');
      assert.equal(results[1]!.ok, false);
      assert.match(results[1]!.output, /^Edit 1: old_text found 2 times \(lines 2, 4\)/);

      assert.ok(existsSync(join(s.workspace, 'docs/NOTES.md')));
      assert.equal(readFileSync(join(s.workspace, 'docs/NOTES.md'), 'utf8'), '# Notes\n');
      assert.match(results[2]!.output, /^Created docs\/NOTES\.md\./);

      assert.equal(readFileSync(join(s.workspace, 'quotes.py'), 'utf8'), 'title = "Agio"\n');
      assert.match(results[3]!.output, /typographic look-alikes/);

      // The model was told: the refusal's text reached it in the next request.
      assert.ok(fake.requests[2]!.rawBody.includes('old_text found 2 times'));
    } finally {
      s.cleanup();
    }
  });
});
