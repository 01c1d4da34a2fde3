// agio.allowUnsandboxedFullAuto: the user's own switch. A workspace's settings cannot turn it on (its
// value is ignored, the setting is machine-scoped and restricted in untrusted folders), and when on
// it reaches the run request as unsandboxedFullAuto.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { userOnlySwitch } from '../../../client/src/setting-layers.ts';
import { settingsRequest } from '../../../client/src/settings-request.ts';
import { RunRequest } from '../../../server/src/protocol/methods.ts';

test("a workspace's value never turns the switch on, nor off the user's", () => {
  assert.equal(userOnlySwitch({ user: false, workspace: true }), false);
  assert.equal(userOnlySwitch({ user: undefined, workspace: true }), false);
  assert.equal(userOnlySwitch({ user: 'true', workspace: undefined }), false, 'only a real true counts');
  assert.equal(userOnlySwitch({ user: true, workspace: false }), true, "the user's own choice stands");
  assert.equal(userOnlySwitch({ user: true, workspace: undefined }), true);
});

test('the switch reaches the run request, and only when on', () => {
  const on = settingsRequest({ allowUnsandboxedFullAuto: true });
  assert.equal(on.request.unsandboxedFullAuto, true);
  assert.equal(RunRequest.parse({ task: 't', ...on.request }).unsandboxedFullAuto, true);
  assert.equal('unsandboxedFullAuto' in settingsRequest({ allowUnsandboxedFullAuto: false }).request, false);
  assert.equal('unsandboxedFullAuto' in settingsRequest({}).request, false);
});

test('package.json: machine scope (user settings only), off by default, restricted in untrusted folders', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const setting = pkg.contributes.configuration.properties['agio.allowUnsandboxedFullAuto'];
  assert.equal(setting.type, 'boolean');
  assert.equal(setting.default, false);
  assert.equal(setting.scope, 'machine');
  assert.match(setting.markdownDescription, /can do anything you can/);
  assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('agio.allowUnsandboxedFullAuto'));
});
