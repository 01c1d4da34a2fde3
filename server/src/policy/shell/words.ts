// The literal value of a shell word, as bash would see it after quote removal, or "not literal".
// Only what is certain is literal: plain words (with backslash escapes), '…', "…" without
// expansions, $'…', `~` and $HOME (both mean opts.home). Anything else (variables, substitutions,
// brace expansion, arithmetic) makes the word dynamic: its value is unknown and checks on it fail
// closed.
import type { PNode } from './parse.ts';

export interface Word {
  /** Source text, as written. */
  text: string;
  /** Value after quote removal and ~/$HOME expansion; undefined when it contains other expansions. */
  value: string | undefined;
  /** An unquoted `*`, `?` or `[` makes the value a glob pattern. */
  glob: boolean;
  /** The syntax node, when the word came from the line (not from a split inner string). */
  node?: PNode;
}

export function nodeText(src: string, n: PNode): string {
  return src.slice(n.start, n.end);
}

/** A word built from a known string (inner command lines split by the classifier). */
export function literalWord(s: string): Word {
  return { text: s, value: s, glob: false };
}

interface Part {
  v: string | undefined;
  glob: boolean;
  /** Unquoted text with quoted parts replaced by `Q`, for brace-expansion detection. */
  unq: string;
}

export function evalWord(src: string, n: PNode, home: string): Word {
  const text = nodeText(src, n);
  const p = part(src, n, home);
  let value = p.v;
  // Brace expansion ({a,b}, {1..3}) turns one word into several: not a single literal.
  if (value !== undefined && /\{[^{}]*(,|\.\.)[^{}]*\}/.test(p.unq)) value = undefined;
  if (value?.startsWith('~') && leadingUnquotedTilde(n)) value = tilde(value, home);
  return { text, value, glob: p.glob, node: n };
}

function leadingUnquotedTilde(n: PNode): boolean {
  const first = n.type === 'concatenation' ? n.children[0] : n;
  return first?.type === 'word';
}

/** `~` and `~/x` are the home folder; `~user`, `~+`, `~-` are not known. */
function tilde(v: string, home: string): string | undefined {
  const slash = v.indexOf('/');
  const prefix = slash < 0 ? v : v.slice(0, slash);
  if (prefix !== '~') return undefined;
  return home + (slash < 0 ? '' : v.slice(slash));
}

function part(src: string, n: PNode, home: string): Part {
  const text = nodeText(src, n);
  switch (n.type) {
    case 'word':
    case 'command_name':
      if (n.type === 'command_name') {
        const only = n.children[0];
        return only && n.children.length === 1 ? part(src, only, home) : { v: undefined, glob: false, unq: '' };
      }
      return unquotedWord(text);
    case 'number':
      return n.children.length === 0 ? { v: text, glob: false, unq: text } : { v: undefined, glob: false, unq: '' };
    case 'raw_string':
      return { v: text.slice(1, -1), glob: false, unq: 'Q' };
    case 'ansi_c_string':
      return { v: ansiC(text.slice(2, -1)), glob: false, unq: 'Q' };
    case 'string':
      return { v: doubleQuoted(src, n, home), glob: false, unq: 'Q' };
    case 'translated_string': {
      const s = n.children.find((c) => c.type === 'string');
      return { v: s ? doubleQuoted(src, s, home) : undefined, glob: false, unq: 'Q' };
    }
    case 'simple_expansion':
    case 'expansion':
      return { v: isHome(src, n) ? home : undefined, glob: false, unq: 'Q' };
    case 'concatenation': {
      let v: string | undefined = '';
      let glob = false;
      let unq = '';
      for (const c of n.children) {
        const p = part(src, c, home);
        v = v === undefined || p.v === undefined ? undefined : v + p.v;
        glob ||= p.glob;
        unq += p.unq;
      }
      return { v, glob, unq };
    }
    default:
      // command/process substitution, arithmetic, brace_expression, extglob, …
      return { v: undefined, glob: false, unq: '' };
  }
}

/** `$HOME` or `${HOME}` and nothing else. */
function isHome(src: string, n: PNode): boolean {
  const t = nodeText(src, n);
  return t === '$HOME' || t === '${HOME}';
}

function unquotedWord(raw: string): Part {
  let v = '';
  let unq = '';
  let glob = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\') {
      const next = raw[i + 1];
      i++;
      if (next === undefined || next === '\n') continue;
      v += next;
      unq += 'Q';
      continue;
    }
    if (ch === '*' || ch === '?' || ch === '[') glob = true;
    v += ch;
    unq += ch;
  }
  return { v, glob, unq };
}

/** Inside "…": only \$ \` \" \\ and \<newline> are escapes. */
function unescapeDq(s: string): string {
  return s.replace(/\\([$`"\\\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

function doubleQuoted(src: string, n: PNode, home: string): string | undefined {
  let out = '';
  let pos = n.start + 1;
  const end = n.end - 1;
  for (const c of n.children) {
    if (!c.named) continue;
    if (c.type === 'string_content') {
      out += unescapeDq(src.slice(pos, c.end));
    } else if ((c.type === 'simple_expansion' || c.type === 'expansion') && isHome(src, c)) {
      out += unescapeDq(src.slice(pos, c.start)) + home;
    } else {
      return undefined;
    }
    pos = c.end;
  }
  if (pos < end) out += unescapeDq(src.slice(pos, end));
  return out;
}

const SIMPLE_ESC: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** $'…' escapes; an escape we do not model (\c) makes the word dynamic. */
function ansiC(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = s[++i];
    if (e === undefined) return undefined;
    if (SIMPLE_ESC[e] !== undefined) {
      out += SIMPLE_ESC[e];
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8) & 0xff);
      i += m.length - 1;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const m = new RegExp(`^[0-9a-fA-F]{1,${max}}`).exec(s.slice(i + 1));
      if (!m) return undefined;
      const cp = parseInt(m[0], 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += m[0].length;
    } else {
      return undefined;
    }
  }
  // A NUL ends the string in bash; anything after it is dropped.
  const nul = out.indexOf('\0');
  return nul < 0 ? out : out.slice(0, nul);
}

/** Split an option list: leading options (until the first non-option or `--`) and the rest. */
export function isOption(w: Word): boolean {
  return w.value !== undefined && w.value.length > 1 && w.value.startsWith('-');
}
