// Keeping secrets away from the model: the environment a command runs with is built from an
// allowlist (a command the model wrote must not find credentials in `env`), and text going back to
// the model or into the event log is scrubbed of anything that looks like a credential.
import { inertGitEnv } from '../workspace/inert-git.ts';

/** Names that suggest a credential. They are dropped even when allowlisted, unless named in `secretsAllowed`. */
export const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|SESSION|COOKIE|PRIVATE/i;

/** Agio's own provider keys: never passed to a command, whatever the configuration says. */
const PROVIDER_KEYS = new Set(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AGIO_API_KEY']);

// What a build or test needs to find its tools and behave normally, and nothing else.
// - Paths and locale: PATH, HOME, the user's name, shell, terminal, language, time zone, temp dirs.
// - Toolchain locations (JAVA_HOME, GOPATH, CARGO_HOME, PYENV_ROOT, VIRTUAL_ENV, NVM_DIR, …): paths
//   only, and without them `go test` or an activated virtualenv silently uses the wrong toolchain.
// - CA bundle paths: behind a TLS-inspecting proxy nothing fetches without them; they hold no secret.
// Left out on purpose (add them with `extraAllowed` if a project needs them):
// - HTTP(S)_PROXY: proxy URLs often carry `user:password@`.
// - npm_config_*: set when Agio runs under `npm run`; they carry registry settings (and auth under
//   some names), and npm reads its own config files anyway.
// - BASH_ENV, ENV, LD_PRELOAD, NODE_OPTIONS, PYTHONSTARTUP, GIT_*: each makes every later command run
//   code or change behaviour chosen by whoever set it.
// - DISPLAY, WAYLAND_DISPLAY, DBUS_SESSION_BUS_ADDRESS, SSH_AUTH_SOCK: doors into the desktop
//   session, the session bus (which can start processes outside any sandbox) and the SSH agent.
// - PWD, OLDPWD: stale; bash sets PWD from the command's real working directory.
const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'COLORTERM',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'NODE_ENV',
  'CI',
  'FORCE_COLOR',
  'NO_COLOR',
  'JAVA_HOME',
  'GOPATH',
  'GOROOT',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'PYENV_ROOT',
  'VIRTUAL_ENV',
  'NVM_DIR',
  'PNPM_HOME',
  'VOLTA_HOME',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
]);
/** LC_ALL, LC_CTYPE, …; XDG_CONFIG_HOME, XDG_CACHE_HOME, … (XDG_SESSION_* falls to SECRET_NAME). */
const ALLOWED_PREFIXES = ['LC_', 'XDG_'];

/**
 * The environment for commands the model asks for: allowlisted names plus `extraAllowed`; a name
 * that looks like a credential passes only if it is also in `secretsAllowed`; provider keys never do.
 * The git settings that run nothing (inert-git.ts) are added last, over any allowlisted GIT_CONFIG_*:
 * they reach every git the command starts, and the classifier asks when a command clears them.
 */
export function commandEnvironment(
  env: NodeJS.ProcessEnv,
  extraAllowed: readonly string[] = [],
  secretsAllowed: readonly string[] = [],
): NodeJS.ProcessEnv {
  const extra = new Set(extraAllowed);
  const secrets = new Set(secretsAllowed);
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || PROVIDER_KEYS.has(name)) continue;
    const listed =
      ALLOWED.has(name) || extra.has(name) || secrets.has(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
    if (!listed) continue;
    if (SECRET_NAME.test(name) && !secrets.has(name)) continue;
    out[name] = value;
  }
  return { ...out, ...inertGitEnv() };
}

interface Pattern {
  label: string;
  /** Regex source. A named group `keep` is text kept before the mark (e.g. "Bearer "). */
  source: string;
}

// Every character class below excludes `"` and `\`, so a match never spans a JSON string boundary
// or splits an escape: redacting serialized JSON leaves it parseable. The PEM body is the one place
// that crosses backslashes, and it takes whole runs of them with the escaped letter (`\n`, `\\n`).
const TOKEN = '[A-Za-z0-9_-]';
// Where a token may start: after a non-word character, or right after a JSON escape such as `\n`
// (in serialized JSON "line\nghp_…" has no word boundary before the token). A match that starts
// inside an escape (`\rk_live_…`) keeps the escape's characters: see escapeTail.
const B = '(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrt]))';
const PATTERNS: Pattern[] = [
  {
    label: 'private-key',
    source:
      '-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----(?:[A-Za-z0-9+/=\\s:,.-]|\\\\+[nrt])*?' +
      // A key cut off before its END line (output truncated) is still hidden up to where it stops.
      '(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|(?![A-Za-z0-9+/=\\s:,.-]|\\\\+[nrt]))',
  },
  { label: 'anthropic-key', source: `${B}sk-ant-${TOKEN}{20,}` },
  { label: 'openai-key', source: `${B}sk-${TOKEN}{20,}` },
  { label: 'stripe-key', source: `${B}[sr]k_(?:live|test)_[A-Za-z0-9]{16,}` },
  { label: 'github-token', source: `${B}(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})` },
  { label: 'aws-access-key-id', source: `${B}(?:AKIA|ASIA)[A-Z0-9]{16}\\b` },
  { label: 'slack-token', source: `${B}xox[abposr]-[A-Za-z0-9-]{10,}` },
  { label: 'google-api-key', source: `${B}AIza${TOKEN}{35}` },
  { label: 'jwt', source: `${B}eyJ${TOKEN}{5,}\\.eyJ${TOKEN}{5,}\\.${TOKEN}*` },
  // 16+ characters so prose such as "Bearer authentication" survives.
  { label: 'bearer', source: `(?<keep>${B}[Bb]earer[ \\t]+)[A-Za-z0-9._~+/-]{16,}=*` },
  { label: 'basic-auth', source: `(?<keep>${B}[Aa]uthorization:[ \\t]*[Bb]asic[ \\t]+)[A-Za-z0-9+/]{8,}={0,2}` },
  // scheme://user:password@host — the scheme and host stay readable.
  { label: 'url-credentials', source: '(?<keep>://)[^\\s/?#@"\\\\:]+:[^\\s/?#@"\\\\]+(?=@)' },
];

/** Values shorter than this are too likely to occur by chance ("true", a port) to be hunted for. */
const MIN_LITERAL = 8;

/**
 * How much text a shape needs before it can be recognised, for redacting text that arrives in pieces
 * (see RedactingStream). Most shapes above have no upper length (`{20,}`, a PEM body), but what has to
 * be seen before they match is short: a prefix and their minimum count (`sk-` + 20 is 23 characters,
 * a PEM header ~40, a JWT's two first parts ~100), or, for `user:password@`, the credentials up to
 * the `@`. 512 covers all of them with room; a URL password or a JWT header longer than ~500
 * characters is the one case that can show its start live before it is recognised. Once a shape
 * matches, however long it grows, the stream holds it from its start (bounded by the stream's own
 * budget), so its length is not limited by this figure.
 */
export const SHAPE_WINDOW = 512;
/** An environment value is recognised only whole, so the window is at least the longest one, up to
 * this: a multi-kilobyte value (a JSON service-account file pasted into a variable) is rare, and a
 * longer window means holding more output back. A longer value's start can show live. */
const MAX_CARRY = 16_384;

/** One credential found in a text: where it is, what kind it is and what replaces it. */
export interface RedactionMatch {
  start: number;
  end: number;
  label: string;
  /** The `[REDACTED:kind]` mark, with any kept text before it ("Bearer "). */
  replacement: string;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Finds credentials in text by shape (known token formats) and by value (secrets from the env). */
export class Redactor {
  private readonly any: RegExp;
  private readonly all: RegExp;
  private readonly labels: string[];
  /** How many trailing characters of a piece of text could still be the start of a credential that
   * the next piece completes: the carry-over a stream redactor holds back. */
  readonly carryChars: number;

  constructor(literals: Iterable<string> = []) {
    const alts: string[] = [];
    this.labels = [];
    PATTERNS.forEach((p, i) => {
      // Each alternative gets its own keep group (names cannot repeat across alternatives).
      alts.push(`(?<p${i}>${p.source.replace('(?<keep>', `(?<k${i}>`)})`);
      this.labels.push(p.label);
    });
    const lits = literalForms(literals);
    if (lits.length > 0) {
      alts.push(`(?<p${PATTERNS.length}>${lits.map(escapeRegex).join('|')})`);
      this.labels.push('env-value');
    }
    this.any = new RegExp(alts.join('|'));
    this.all = new RegExp(this.any.source, 'g');
    this.carryChars = Math.min(MAX_CARRY, Math.max(SHAPE_WINDOW, ...lits.map((l) => l.length)));
  }

  /** A Redactor that also hides the values of `env` variables whose names look like credentials. */
  static fromEnv(env: NodeJS.ProcessEnv): Redactor {
    const values: string[] = [];
    for (const [name, value] of Object.entries(env)) {
      if (value !== undefined && SECRET_NAME.test(name)) values.push(value);
    }
    return new Redactor(values);
  }

  hasSecret(text: string): boolean {
    return this.any.test(text);
  }

  /** `text` with each credential replaced by `[REDACTED:kind]`; the same string when there is none. */
  redact(text: string): string {
    const first = this.any.exec(text);
    if (!first) return text;
    // Carry on from the first match: the text before it is clean, no need to scan it twice.
    const all = this.all;
    all.lastIndex = first.index;
    let out = '';
    let done = 0;
    for (let m = all.exec(text); m; m = all.exec(text)) {
      out += text.slice(done, m.index) + this.replacement(text, m);
      done = all.lastIndex;
    }
    return out + text.slice(done);
  }

  /** Every credential in `text`, in order and not overlapping: what `redact` replaces. */
  scan(text: string): RedactionMatch[] {
    const found: RedactionMatch[] = [];
    if (!this.any.test(text)) return found;
    const all = this.all;
    all.lastIndex = 0;
    for (let m = all.exec(text); m; m = all.exec(text)) {
      found.push({ start: m.index, end: all.lastIndex, label: this.label(m), replacement: this.replacement(text, m) });
    }
    return found;
  }

  private label(m: RegExpExecArray): string {
    const groups = m.groups!;
    for (let i = 0; i < this.labels.length; i++) if (groups[`p${i}`] !== undefined) return this.labels[i]!;
    return '';
  }

  private replacement(text: string, m: RegExpExecArray): string {
    const groups = m.groups!;
    for (let i = 0; i < this.labels.length; i++) {
      if (groups[`p${i}`] === undefined) continue;
      const keep = groups[`k${i}`] ?? escapeTail(text, m.index, m[0]);
      return `${keep}[REDACTED:${this.labels[i]}]`;
    }
    return '[REDACTED]';
  }

  /** A copy of `value` (plain objects and arrays) with every string redacted; keys are kept. */
  redactDeep(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const v of value) out.push(this.redactDeep(v, seen));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) out[k] = this.redactDeep(v, seen);
    return out;
  }
}

/**
 * A match can start right after a backslash; in serialized JSON that backslash may open an escape
 * (`\n`, `\u00e9`) whose remaining characters begin the match. Those characters are kept (at most
 * five characters of the secret show) so the escape stays whole and the JSON still parses.
 */
function escapeTail(text: string, offset: number, match: string): string {
  // Any run of backslashes, not only an odd one: JSON inside a JSON string writes `\n` as `\\n`.
  const before = /\\(u[0-9a-fA-F]{0,3})?$/.exec(text.slice(Math.max(0, offset - 4), offset));
  if (!before) return '';
  if (before[1] !== undefined) return match.slice(0, 5 - before[1].length);
  return match[0] === 'u' ? match.slice(0, 5) : match.slice(0, 1);
}

/**
 * The strings to search for, longest first (so a secret containing another wins). A value is looked
 * for as is and as it appears inside a JSON string. A raw value holding `"` could match across a
 * JSON string boundary, so only its pieces between quotes are searched raw; a trailing backslash is
 * left out so a match never ends inside an escape.
 * Bare paths are skipped: `…_CREDENTIALS_FILE=/home/me/.aws/credentials` names a file, it is not one.
 */
function literalForms(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_LITERAL || /^\/[\w./-]*$/.test(v)) continue;
    forms.add(JSON.stringify(v).slice(1, -1));
    for (const piece of v.split('"')) {
      const p = piece.replace(/\\+$/, '');
      if (p.length >= MIN_LITERAL) forms.add(p);
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
