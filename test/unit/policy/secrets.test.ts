import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { commandEnvironment, Redactor } from '../../../server/src/policy/secrets.ts';

// Fake tokens are assembled at run time so secret scanners do not flag this file.
const j = (...parts: string[]): string => parts.join('');
const alnum = (n: number, seed = 7): string => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += chars[(i * seed + 3) % chars.length];
  return s;
};
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString()
  .trim();

const TOKENS: Record<string, string> = {
  'openai-key': j('sk-', 'proj-', alnum(48)),
  'openai-legacy': j('sk-', alnum(48, 11)),
  'anthropic-key': j('sk-', 'ant-api03-', alnum(93, 5), 'AA'),
  'github-token': j('gh', 'p_', alnum(36)),
  'github-oauth': j('gh', 'o_', alnum(36, 13)),
  'github-app': j('gh', 's_', alnum(36, 17)),
  'github-pat': j('github', '_pat_', alnum(22), '_', alnum(59, 3)),
  'aws-access-key-id': j('AKIA', 'IOSFODNN7EXAMPL3'),
  'aws-session-key-id': j('ASIA', 'Z2XQ7KJ3NB5TWL4M'),
  'slack-token': j('xo', 'xb-', '123456789012-1234567890123-', alnum(24)),
  'google-api-key': j('AI', 'za', alnum(35, 19)),
  'stripe-key': j('sk', '_live_', alnum(24)),
  'stripe-restricted': j('rk', '_live_', alnum(24, 23)),
  jwt: j(
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    '.',
    'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ',
    '.',
    'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ),
  'private-key': pem,
  'rsa-private-key': rsaPem,
};

test('commandEnvironment keeps the allowlist and drops keys', () => {
  const env = {
    PATH: '/usr/bin',
    HOME: '/home/me',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    XDG_CACHE_HOME: '/c',
    TERM: 'xterm',
    OPENAI_API_KEY: 'sk-x',
    ANTHROPIC_API_KEY: 'sk-ant-x',
    AGIO_API_KEY: 'k',
    GITHUB_TOKEN: 'ghp_x',
    AWS_SECRET_ACCESS_KEY: 's',
    XDG_SESSION_ID: '3',
    SSH_AUTH_SOCK: '/tmp/ssh',
    BASH_ENV: '/evil',
    LD_PRELOAD: '/evil.so',
    NODE_OPTIONS: '--require /evil',
    HTTPS_PROXY: 'http://u:p@proxy',
    RANDOM_THING: 'x',
    MY_TOOL_HOME: '/opt/tool',
    NPM_TOKEN: 'npm_x',
    DB_PASSWORD: 'pw',
  };
  assert.deepEqual(commandEnvironment(env), {
    PATH: '/usr/bin',
    HOME: '/home/me',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    XDG_CACHE_HOME: '/c',
    TERM: 'xterm',
  });
  // A user's extra names are passed, but a secret-looking one only when also in secretsAllowed.
  const extra = commandEnvironment(env, ['MY_TOOL_HOME', 'NPM_TOKEN', 'DB_PASSWORD']);
  assert.equal(extra.MY_TOOL_HOME, '/opt/tool');
  assert.equal(extra.NPM_TOKEN, undefined);
  assert.equal(extra.DB_PASSWORD, undefined);
  const allowed = commandEnvironment(env, ['MY_TOOL_HOME'], ['NPM_TOKEN', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
  assert.equal(allowed.NPM_TOKEN, 'npm_x');
  assert.equal(allowed.OPENAI_API_KEY, undefined, 'provider keys are never passed');
  assert.equal(allowed.ANTHROPIC_API_KEY, undefined);
  assert.equal(allowed.DB_PASSWORD, undefined);
});

test('each kind of credential is redacted, with its label', () => {
  const r = new Redactor();
  for (const [name, token] of Object.entries(TOKENS)) {
    const text = `before ${token} after`;
    assert.equal(r.hasSecret(text), true, name);
    const out = r.redact(text);
    assert.ok(!out.includes(token.slice(12, 30)), `${name} leaked: ${out}`);
    assert.match(out, /^before \[REDACTED:[a-z-]+\] after$/, name);
  }
  assert.equal(r.redact(`key=${TOKENS['github-token']}`), 'key=[REDACTED:github-token]');
  assert.equal(r.redact(TOKENS['anthropic-key']!), '[REDACTED:anthropic-key]');
  assert.equal(r.redact(TOKENS['private-key']!.trim()), '[REDACTED:private-key]');
});

test('header and URL credentials keep their context', () => {
  const r = new Redactor();
  assert.equal(r.redact('Authorization: Bearer abcdef0123456789abcdef0123'), 'Authorization: Bearer [REDACTED:bearer]');
  assert.equal(
    r.redact('-H "authorization: bearer abcdef0123456789abcdef0123"'),
    '-H "authorization: bearer [REDACTED:bearer]"',
  );
  assert.equal(r.redact('Authorization: Basic dXNlcjpwYXNzd29yZA=='), 'Authorization: Basic [REDACTED:basic-auth]');
  assert.equal(
    r.redact('git clone https://alice:s3cr3t-pass@git.example.com/repo.git'),
    'git clone https://[REDACTED:url-credentials]@git.example.com/repo.git',
  );
  assert.equal(r.redact('postgres://app:hunter2@db:5432/x'), 'postgres://[REDACTED:url-credentials]@db:5432/x');
});

test('a key cut off before its END line is still hidden', () => {
  const cut = TOKENS['rsa-private-key']!.slice(0, 300);
  const out = new Redactor().redact(`out: ${cut}`);
  assert.equal(out, 'out: [REDACTED:private-key]');
});

test('redacting serialized JSON keeps it parseable, including keys with \\n escapes', () => {
  const r = Redactor.fromEnv({ DEPLOY_TOKEN: 'quote"and\\backslash-value' });
  const payload = {
    stdout: `line1\n${TOKENS['github-token']}\n${TOKENS['private-key']}\ttab ${TOKENS.jwt}`,
    nested: [
      { h: `Bearer ${alnum(30)}` },
      `"${TOKENS['openai-key']}"`,
      'x\\sk-not-a-token',
      'quote"and\\backslash-value',
    ],
    url: 'https://u:p%40ss@example.com/',
    keyAfterEscape: `\r${TOKENS['stripe-restricted']}`,
  };
  const json = JSON.stringify(payload);
  const red = r.redact(json);
  assert.notEqual(red, json);
  const back = JSON.parse(red) as typeof payload;
  assert.equal(back.stdout, 'line1\n[REDACTED:github-token]\n[REDACTED:private-key]\ttab [REDACTED:jwt]');
  assert.deepEqual(back.nested[0], { h: 'Bearer [REDACTED:bearer]' });
  assert.equal(back.nested[1], '"[REDACTED:openai-key]"');
  assert.equal(back.nested[3], '[REDACTED:env-value]');
  assert.equal(back.url, 'https://[REDACTED:url-credentials]@example.com/');
  assert.equal(back.keyAfterEscape, '\r[REDACTED:stripe-key]');
  // Same answer as redacting the values before serializing, except that a raw value with a quote
  // is only searched for piece by piece (a raw `"` could match across a JSON string boundary).
  const deep = r.redactDeep(payload) as typeof payload;
  assert.equal(deep.nested[3], 'quote"[REDACTED:env-value]');
  deep.nested[3] = back.nested[3]!;
  assert.deepEqual(back, deep);
});

test('literal values of secret-named env vars are redacted wherever they appear', () => {
  const r = Redactor.fromEnv({
    MY_SERVICE_TOKEN: 'Zq8xLw2pVn5tRk9m',
    DB_PASSWORD: 'correct horse battery',
    SHORT_KEY: 'abc123',
    PATH: '/usr/bin:/bin',
    AWS_SHARED_CREDENTIALS_FILE: '/home/me/.aws/credentials',
  });
  assert.equal(r.redact('token=Zq8xLw2pVn5tRk9m;'), 'token=[REDACTED:env-value];');
  assert.equal(r.redact('pw is correct horse battery!'), 'pw is [REDACTED:env-value]!');
  assert.equal(r.redact('abc123 is too short to hunt for'), 'abc123 is too short to hunt for');
  assert.equal(r.redact('/usr/bin:/bin and /home/me/.aws/credentials'), '/usr/bin:/bin and /home/me/.aws/credentials');
});

test('text without secrets comes back unchanged', () => {
  const r = Redactor.fromEnv({ API_TOKEN: 'Zq8xLw2pVn5tRk9m' });
  const texts = [
    'The quick brown fox. Bearer tokens are described in RFC 6750; see https://example.com/docs?a=1.',
    'task-abcdefghijklmnopqrstuvwxyz0123 and risk_live_x and ghp_short and eyJ alone',
    'user@example.com wrote git@github.com:owner/repo.git and ssh://git@host/repo',
    '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----',
    '',
  ];
  for (const t of texts) {
    assert.equal(r.redact(t), t);
    assert.equal(r.hasSecret(t), false, t);
  }
  const obj = { a: 'plain', n: 1, b: [true, null, 'x'] };
  const copy = r.redactDeep(obj);
  assert.deepEqual(copy, obj);
  assert.notEqual(copy, obj, 'redactDeep returns a copy');
});

test('redaction never breaks JSON, however secrets, quotes and escapes are mixed (also JSON inside JSON)', () => {
  const r = Redactor.fromEnv({ A_TOKEN: 'nsecretvalue1', B_KEY: 'u00e9secret', C_SECRET: 'bf"x\\yz-long-one' });
  const frags = [
    '\\',
    '"',
    '\n',
    '\r',
    '\t',
    'é',
    '\u0001',
    'n',
    'u',
    'r',
    'b',
    '/',
    ' ',
    '@',
    '://',
    'a:b',
    'sk-',
    'rk_live_',
    'ghp_',
    'eyJ',
    '.',
    'Bearer ',
    'Authorization: Basic ',
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----END RSA PRIVATE KEY-----',
    'nsecretvalue1',
    'u00e9secret',
    'x\\yz-long-one',
    alnum(40),
  ];
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let changed = 0;
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let k = 1 + rnd(10); k > 0; k--) s += frags[rnd(frags.length)];
    const once = JSON.stringify({ s });
    const twice = JSON.stringify(once);
    const a = r.redact(once);
    const b = r.redact(twice);
    if (a !== once) changed++;
    assert.doesNotThrow(() => JSON.parse(a), a);
    assert.doesNotThrow(() => JSON.parse(JSON.parse(b) as string), b);
  }
  assert.ok(changed > 1000, `only ${changed} inputs had something to redact`);
});
