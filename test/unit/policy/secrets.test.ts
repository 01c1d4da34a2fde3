import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { elisionMarker, LIVE_OUTPUT_LIMITS, LiveOutput } from '../../../server/src/agent/live-output.ts';
import { RedactingStream } from '../../../server/src/policy/redacting-stream.ts';
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
    // The git settings that run nothing a repository configures (inert-git.ts).
    GIT_CONFIG_COUNT: '4',
    GIT_CONFIG_KEY_0: 'core.fsmonitor',
    GIT_CONFIG_VALUE_0: 'false',
    GIT_CONFIG_KEY_1: 'core.hooksPath',
    GIT_CONFIG_VALUE_1: '/dev/null',
    GIT_CONFIG_KEY_2: 'core.pager',
    GIT_CONFIG_VALUE_2: 'cat',
    GIT_CONFIG_KEY_3: 'protocol.ext.allow',
    GIT_CONFIG_VALUE_3: 'never',
    GIT_PAGER: 'cat',
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
  // An allowlisted GIT_CONFIG_COUNT or GIT_PAGER does not replace the inert settings.
  const git = commandEnvironment({ ...env, GIT_CONFIG_COUNT: '0', GIT_PAGER: 'less' }, [
    'GIT_CONFIG_COUNT',
    'GIT_PAGER',
  ]);
  assert.equal(git.GIT_CONFIG_COUNT, '4');
  assert.equal(git.GIT_PAGER, 'cat');
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

// Live output arrives in chunks; a credential cut by a chunk boundary must still never show.

/** Each TOKENS entry's label, written out. */
const LABELS: Record<string, string> = {
  'openai-key': 'openai-key',
  'openai-legacy': 'openai-key',
  'anthropic-key': 'anthropic-key',
  'github-token': 'github-token',
  'github-oauth': 'github-token',
  'github-app': 'github-token',
  'github-pat': 'github-token',
  'aws-access-key-id': 'aws-access-key-id',
  'aws-session-key-id': 'aws-access-key-id',
  'slack-token': 'slack-token',
  'google-api-key': 'google-api-key',
  'stripe-key': 'stripe-key',
  'stripe-restricted': 'stripe-key',
  jwt: 'jwt',
  'private-key': 'private-key',
  'rsa-private-key': 'private-key',
};

/** `a` then `b` through one stream, with a flush between them as the live output's timer does (it
 * shows only what cannot be the start of a credential), then the end. */
function streamedInTwo(r: Redactor, a: string, b: string): string {
  const s = new RedactingStream(r);
  s.feed(a);
  let out = s.take(s.end, false);
  s.feed(b);
  out += s.take(s.end, false);
  return out + s.take(s.end, true);
}

// 600 characters of prose on each side, so the flush's cut (512 characters before the end of what
// arrived) falls before, inside and after the credential as the split moves.
const PROSE = 'the build passed; 12 tests ran in 3.4 s. '.repeat(15);

test('a credential split at every position across two chunks is redacted, never shown in part', () => {
  const r = new Redactor();
  for (const [name, token] of Object.entries(TOKENS)) {
    for (const pad of ['', PROSE]) {
      const text = `${pad}before ${token} after\n${pad}`;
      const want = `${pad}before [REDACTED:${LABELS[name]}] after\n${pad}`;
      for (let at = 0; at <= text.length; at++) {
        assert.equal(streamedInTwo(r, text.slice(0, at), text.slice(at)), want, `${name} cut at ${at}`);
      }
    }
  }
});

test('header, URL and env-value credentials split at every position keep their context', () => {
  const r = new Redactor(['correct horse battery staple']);
  const cases: [string, string][] = [
    ['Authorization: Bearer abcdef0123456789abcdef0123\n', 'Authorization: Bearer [REDACTED:bearer]\n'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==\n', 'Authorization: Basic [REDACTED:basic-auth]\n'],
    [
      'git clone https://alice:s3cr3t-pass@git.example.com/repo.git\n',
      'git clone https://[REDACTED:url-credentials]@git.example.com/repo.git\n',
    ],
    ['pw is correct horse battery staple!\n', 'pw is [REDACTED:env-value]!\n'],
  ];
  for (const [text, want] of cases) {
    for (let at = 0; at <= text.length; at++) {
      assert.equal(streamedInTwo(r, text.slice(0, at), text.slice(at)), want, `${JSON.stringify(text)} cut at ${at}`);
    }
  }
});

test('the carry-over window covers the longest env value, and at least the shapes', () => {
  assert.equal(new Redactor().carryChars, 512);
  assert.equal(new Redactor(['x'.repeat(2000)]).carryChars, 2000);
  assert.equal(new Redactor(['x'.repeat(100_000)]).carryChars, 16_384, 'capped');
  // An env value longer than the shapes' window, split near its end, is still seen whole.
  const long = alnum(2000, 29);
  const r = new Redactor([long]);
  const text = `v=${long};\n`;
  assert.equal(streamedInTwo(r, text.slice(0, 1990), text.slice(1990)), 'v=[REDACTED:env-value];\n');
});

test('streamed in random pieces, text redacts as it does whole', () => {
  const r = new Redactor(['nsecretvalue1']);
  const frags = [' ', '\n', 'sk-', 'ghp_', 'eyJ', '.', 'Bearer ', '://', 'a:b', '@', 'nsecretvalue1', alnum(40), 'x'];
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 500; i++) {
    let text = '';
    for (let k = 1 + rnd(30); k > 0; k--) text += frags[rnd(frags.length)];
    const s = new RedactingStream(r);
    let out = '';
    for (let at = 0; at < text.length; ) {
      const n = 1 + rnd(20);
      s.feed(text.slice(at, at + n));
      at += n;
      out += s.take(s.end, false);
    }
    out += s.take(s.end, true);
    assert.equal(out, r.redact(text), JSON.stringify(text));
  }
});

test('live output: a credential cut by a flush between chunks, or by the head or the tail, never shows', async () => {
  const token = TOKENS['github-token']!;
  const body = token.slice(4);
  const leaks = (out: string): string | undefined => {
    for (let i = 0; i + 6 <= body.length; i++) if (out.includes(body.slice(i, i + 6))) return body.slice(i, i + 6);
    return undefined;
  };
  const text = `before ${token} after\n`;
  const run = (limits: Partial<typeof LIVE_OUTPUT_LIMITS>, chunks: string[]) => {
    const out: string[] = [];
    const all = { ...LIVE_OUTPUT_LIMITS, flushMs: 60_000, quietMs: 60_000, ...limits };
    const live = new LiveOutput((_s, c) => out.push(c), new Redactor(), all);
    for (const c of chunks) live.write('stdout', c);
    return { live, out, marker: elisionMarker(all) };
  };

  // The head ends inside the token: the head shows its mark, the tail the mark for the rest.
  for (let k = 1; k < token.length; k++) {
    const r = run({ headChars: 7 + k, tailChars: 1000 }, [text.slice(0, 20), text.slice(20)]);
    r.live.end();
    assert.equal(
      r.out.join(''),
      `before [REDACTED:github-token]${r.marker}[REDACTED:github-token] after\n`,
      `head ${k}`,
    );
  }
  // The tail starts inside the token.
  const dots = '.'.repeat(100);
  for (let k = 1; k < token.length; k++) {
    const long = `${dots}${token} after\n`;
    const r = run({ headChars: 10, tailChars: token.length - k + 7 }, [
      long.slice(0, 50),
      long.slice(50, 120),
      long.slice(120),
    ]);
    r.live.end();
    assert.equal(r.out.join(''), `..........${r.marker}[REDACTED:github-token] after\n`, `tail from ${k}`);
  }
  // A real flush timer fires between the two halves (the stream is not quiet yet).
  for (const at of [8, 20, 7 + token.length - 1]) {
    const r = run({ flushMs: 1, quietMs: 5_000 }, [text.slice(0, at)]);
    await sleep(30);
    r.live.write('stdout', text.slice(at));
    r.live.end();
    assert.equal(leaks(r.out.join('')), undefined, `cut at ${at}: ${r.out.join('')}`);
    assert.equal(r.out.join(''), 'before [REDACTED:github-token] after\n');
  }
});
