import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultStorePath } from '../../../server/src/store/data-dir.ts';

const HOME = '/home/ada';

test('AGIO_STORE wins on every platform', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    const env = { AGIO_STORE: '/tmp/x.db', XDG_DATA_HOME: '/xdg', LOCALAPPDATA: 'C:\\L' };
    assert.equal(defaultStorePath(env, platform, HOME), '/tmp/x.db');
  }
});

test('an empty AGIO_STORE counts as unset', () => {
  assert.equal(defaultStorePath({ AGIO_STORE: '' }, 'linux', HOME), '/home/ada/.local/share/agio/agio.db');
});

test('Linux follows XDG_DATA_HOME, else ~/.local/share', () => {
  assert.equal(defaultStorePath({ XDG_DATA_HOME: '/data' }, 'linux', HOME), '/data/agio/agio.db');
  assert.equal(defaultStorePath({}, 'linux', HOME), '/home/ada/.local/share/agio/agio.db');
  // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
  assert.equal(defaultStorePath({ XDG_DATA_HOME: 'rel/data' }, 'linux', HOME), '/home/ada/.local/share/agio/agio.db');
});

test('macOS uses Application Support and ignores XDG', () => {
  assert.equal(
    defaultStorePath({ XDG_DATA_HOME: '/data' }, 'darwin', '/Users/ada'),
    '/Users/ada/Library/Application Support/agio/agio.db',
  );
});

test("Windows uses LOCALAPPDATA, else the profile's AppData\\Local", () => {
  assert.equal(
    defaultStorePath({ LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, 'win32', 'C:\\Users\\ada'),
    'C:\\Users\\ada\\AppData\\Local\\agio\\agio.db',
  );
  assert.equal(defaultStorePath({}, 'win32', 'C:\\Users\\ada'), 'C:\\Users\\ada\\AppData\\Local\\agio\\agio.db');
});

test('defaults read the real environment', () => {
  assert.ok(defaultStorePath().endsWith('agio.db'));
});
