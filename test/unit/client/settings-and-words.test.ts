// The client's pure pieces behind two promises: a workspace's settings tighten Agio but never loosen
// it, and errors reach the editor in its own words, not the terminal's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inEditorTerms, requestMessage } from '../../../client/src/editor-terms.ts';
import { needsApiKey } from '../../../server/src/protocol/local-endpoint.ts';
import { lowestBudget, strictestApproval } from '../../../client/src/setting-layers.ts';
import { settingsRequest } from '../../../client/src/settings-request.ts';
import { RunRequest } from '../../../server/src/protocol/methods.ts';
import { resolveRun } from '../../../server/src/config/resolve-run.ts';

test("a workspace may make the approval mode stricter than the user's, never looser", () => {
  assert.equal(
    strictestApproval({ user: 'ask', workspace: 'full-auto' }),
    'ask',
    'a cloned repository cannot switch itself to full-auto',
  );
  assert.equal(strictestApproval({ user: 'full-auto', workspace: 'read-only' }), 'read-only');
  assert.equal(strictestApproval({ user: 'auto-edit', workspace: undefined }), 'auto-edit');
  assert.equal(
    strictestApproval({ user: 'auto-edit', workspace: 'bogus' }),
    'auto-edit',
    'a typo in the workspace changes nothing',
  );
  assert.equal(
    strictestApproval({ user: 'bogus', workspace: undefined }),
    'ask',
    "a typo in the user's settings falls back to ask",
  );
});

test('a workspace may lower a budget, never lift or remove it', () => {
  assert.equal(lowestBudget({ user: 5, workspace: 100 }), 5);
  assert.equal(lowestBudget({ user: 5, workspace: 0 }), 5, "0 (no limit) in the workspace does not remove the user's");
  assert.equal(lowestBudget({ user: 5, workspace: 2 }), 2);
  assert.equal(lowestBudget({ user: 0, workspace: 3 }), 3, 'a workspace may add a budget the user did not set');
  assert.equal(lowestBudget({ user: 0, workspace: undefined }), 0);
});

test('a key is needed unless the endpoint is a local one', () => {
  assert.equal(needsApiKey('openai', undefined, false), true);
  assert.equal(needsApiKey('openai', 'http://127.0.0.1:11434/v1', false), false);
  assert.equal(needsApiKey('openai', 'http://localhost:1234/v1', false), false);
  assert.equal(needsApiKey('openai', 'https://openrouter.ai/api/v1', false), true);
  assert.equal(
    needsApiKey('openai', 'http://127.0.0.1.evil.example/v1', false),
    true,
    'a host that only starts like loopback',
  );
  assert.equal(needsApiKey('anthropic', 'http://127.0.0.1:8080', false), true);
  assert.equal(needsApiKey('anthropic', undefined, true), false);
});

test("the server's terminal words reach the editor as the editor's", () => {
  // The server's own refusal, as the StartRun request would carry it, not a copy.
  let serverMessage = '';
  try {
    resolveRun({ task: 't', cwd: process.cwd(), provider: 'openai' }, { env: {} });
  } catch (err) {
    serverMessage = (err as Error).message;
  }
  assert.match(serverMessage, /OPENAI_API_KEY/);
  const shown = inEditorTerms(
    requestMessage(new Error(`Request agio/run/start failed with message: ${serverMessage}`)),
  );
  assert.doesNotMatch(shown, /OPENAI_API_KEY|--base-url|Request agio/);
  assert.match(shown, /Agio: Set API Key/);
  assert.equal(inEditorTerms('--base-url must be an http(s) URL'), 'the agio.baseUrl setting must be an http(s) URL');
});

test("settings become run-request fields through the protocol's schema, one by one: a typo is reported and left out", () => {
  const { request, problems } = settingsRequest({
    provider: 'anthropic',
    model: 'claude-x',
    baseUrl: 'not a url',
    approval: 'full-auto',
    maxSteps: 0,
    maxTimeSeconds: 30,
    maxTokens: -5,
    maxCostUsd: 2,
    models: { good: { contextWindow: 65_536, input: 1 }, bad: { contextWindow: 'big' } },
    prices: 'cheap',
    contextWindow: 0,
    compactAt: 0.5,
  });
  assert.deepEqual(request, {
    provider: 'anthropic',
    model: 'claude-x',
    approval: 'full-auto',
    limits: { maxTimeMs: 30_000, maxCostUsd: 2 }, // seconds → ms here; 0 means no budget
    models: { good: { contextWindow: 65_536, input: 1 } },
    context: { compactAt: 0.5 },
  });
  // Each bad setting is named, and what was kept still makes a valid request.
  assert.equal(problems.length, 4, problems.join('\n'));
  for (const name of ['agio.baseUrl', 'agio.maxTokens', 'agio.models["bad"]', 'agio.prices']) {
    assert.ok(
      problems.some((p) => p.startsWith(name)),
      `${name} is reported: ${problems.join(' | ')}`,
    );
  }
  assert.equal(RunRequest.safeParse({ task: 't', ...request }).success, true);
  assert.deepEqual(settingsRequest({}), { request: {}, problems: [] });
});
