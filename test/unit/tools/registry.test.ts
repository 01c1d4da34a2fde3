import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_TOOLS, getTool, parseToolArgs, toolSpecs } from '../../../server/src/tools/registry.ts';

const tool = (name: string) => {
  const t = getTool(name);
  assert.ok(t, name);
  return t;
};

test('tools come in a fixed order with the expected tiers', () => {
  assert.deepEqual(
    ALL_TOOLS.map((t) => [t.name, t.tier]),
    [
      ['ls', 'read'],
      ['find', 'read'],
      ['grep', 'read'],
      ['read', 'read'],
      ['write', 'write'],
      ['edit', 'write'],
      ['bash', 'exec'],
      ['fetch', 'network'],
    ],
  );
  assert.equal(getTool('nope'), undefined);
  assert.equal(getTool('ls', []), undefined);
});

test('specs are JSON Schemas without $schema, every field described', () => {
  const specs = toolSpecs();
  assert.equal(specs.length, 8);
  for (const s of specs) {
    assert.equal('$schema' in s.parameters, false);
    assert.equal(s.parameters.type, 'object');
    assert.ok(s.description.length > 20);
    const props = s.parameters.properties as Record<string, { description?: string }>;
    for (const [k, v] of Object.entries(props)) assert.ok(v.description, `${s.name}.${k} has no description`);
  }
  const edit = specs.find((s) => s.name === 'edit')!;
  assert.deepEqual(edit.parameters.required, ['path', 'edits']);
  const item = (edit.parameters.properties as Record<string, { items: { required: string[] } }>).edits!.items;
  assert.deepEqual(item.required, ['old_text', 'new_text']);
  const read = specs.find((s) => s.name === 'read')!;
  const offset = (read.parameters.properties as Record<string, Record<string, unknown>>).offset!;
  assert.deepEqual({ ...offset, description: undefined }, { type: 'integer', minimum: 1, description: undefined });
});

test('valid arguments parse; unknown keys are dropped; empty input means {}', () => {
  assert.deepEqual(parseToolArgs(tool('read'), '{"path":"a.ts","offset":3,"bogus":1}'), {
    ok: true,
    args: { path: 'a.ts', offset: 3 },
  });
  assert.deepEqual(parseToolArgs(tool('ls'), ''), { ok: true, args: {} });
});

test('bad JSON, non-objects, missing and mistyped fields give one actionable message', () => {
  assert.deepEqual(parseToolArgs(tool('read'), '{"path": '), {
    ok: false,
    error:
      'Arguments for read are not valid JSON (Unexpected end of JSON input). Send one JSON object with the fields path, offset, limit.',
  });
  assert.deepEqual(parseToolArgs(tool('bash'), '["ls"]'), {
    ok: false,
    error: 'Arguments for bash must be a JSON object with the fields command, timeout_ms, not an array.',
  });
  assert.deepEqual(parseToolArgs(tool('grep'), '{"path":"src"}'), {
    ok: false,
    error: 'Invalid arguments for grep: missing required field "pattern" (expected string).',
  });
  assert.deepEqual(parseToolArgs(tool('read'), '{"path":"a","offset":"5"}'), {
    ok: false,
    error: 'Invalid arguments for read: field "offset" must be a number, got the string "5".',
  });
  assert.deepEqual(parseToolArgs(tool('edit'), '{"path":"a","edits":[{"old_text":1,"new_text":"x"}]}'), {
    ok: false,
    error: 'Invalid arguments for edit: field "edits[0].old_text" must be a string, got number 1.',
  });
  const tooDeep = parseToolArgs(tool('ls'), '{"depth":9}');
  assert.equal(tooDeep.ok, false);
  assert.match(
    tooDeep.ok ? '' : tooDeep.error,
    /^Invalid arguments for ls: field "depth": Too big: expected number to be <=5/,
  );
});
