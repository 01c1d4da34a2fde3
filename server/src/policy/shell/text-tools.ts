// sed and awk: text filters that are harmless unless their program runs commands (sed `e`, awk
// system() and pipes) or writes files (sed `w`, awk `print >`). Their programs are parsed just
// enough to find those; a sed script this parser does not understand is reported, not trusted.
import { checkWord, writeCheck } from './path-args.ts';
import { type Ctx, innerScript, splitArgs } from './state.ts';
import { literalWord, type Word } from './words.ts';

export interface SedFacts {
  exec: boolean;
  /** The commands of `e COMMAND` (a bare `e` or s///e runs the pattern space, which is not known). */
  commands: string[];
  writes: string[];
  reads: string[];
  error?: string;
}

/** Parse a GNU sed script for `e` (command / s///e), `w`/`W` (s///w) writes and `r`/`R` reads. */
export function sedScript(s: string): SedFacts {
  const f: SedFacts = { exec: false, commands: [], writes: [], reads: [] };
  let i = 0;
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const toEol = (): string => {
    const start = i;
    while (i < s.length && s[i] !== '\n') i++;
    return s.slice(start, i);
  };
  const toSep = (): void => {
    while (i < s.length && s[i] !== '\n' && s[i] !== ';') i++;
  };
  /** Skip a regex or replacement up to the delimiter; brackets protect it in regexes. */
  const delimited = (d: string, regex: boolean): void => {
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '\\') i += 2;
      else if (ch === d) {
        i++;
        return;
      } else if (ch === '[' && regex) {
        i++;
        if (s[i] === '^') i++;
        if (s[i] === ']') i++;
        while (i < s.length && s[i] !== ']') {
          if (s[i] === '[' && /[:.=]/.test(s[i + 1] ?? '')) {
            const close = s.indexOf(`${s[i + 1]!}]`, i + 2);
            if (close < 0) throw new Error('unterminated class');
            i = close + 2;
          } else i++;
        }
        i++;
      } else i++;
    }
    throw new Error('unterminated regular expression');
  };
  const address = (): boolean => {
    const ch = s[i];
    if (ch !== undefined && /[0-9$]/.test(ch)) {
      while (i < s.length && /[0-9~$]/.test(s[i]!)) i++;
    } else if (ch === '/' || ch === '\\') {
      const d = ch === '/' ? '/' : s[i + 1];
      if (d === undefined || d === '\n' || d === '\\') throw new Error('bad address delimiter');
      i += ch === '/' ? 1 : 2;
      delimited(d, true);
    } else return false;
    while (s[i] === 'I' || s[i] === 'M') i++;
    return true;
  };
  const end = (): void => {
    ws();
    const ch = s[i];
    if (ch !== undefined && ch !== ';' && ch !== '\n' && ch !== '}' && ch !== '#') {
      throw new Error(`unexpected ${JSON.stringify(ch)} after a command`);
    }
  };
  try {
    for (let guard = 0; i < s.length; guard++) {
      if (guard > 10_000) throw new Error('too long');
      ws();
      const c0 = s[i];
      if (c0 === undefined) break;
      if (c0 === ';' || c0 === '\n' || c0 === '}') {
        i++;
        continue;
      }
      if (c0 === '#') {
        toEol();
        continue;
      }
      if (address()) {
        ws();
        if (s[i] === ',') {
          i++;
          ws();
          if (s[i] === '+' || s[i] === '~') {
            i++;
            while (i < s.length && /[0-9]/.test(s[i]!)) i++;
          } else if (!address()) throw new Error('bad address range');
        }
      }
      ws();
      while (s[i] === '!') {
        i++;
        ws();
      }
      const cmd = s[i++];
      switch (cmd) {
        case '{':
          break;
        case 's': {
          const d = s[i++];
          if (d === undefined || d === '\n' || d === '\\') throw new Error('bad s delimiter');
          delimited(d, true);
          delimited(d, false);
          for (;;) {
            const fl = s[i];
            if (fl !== undefined && /[gpiImM0-9]/.test(fl)) i++;
            else if (fl === 'e') {
              f.exec = true;
              i++;
            } else if (fl === 'w') {
              i++;
              ws();
              f.writes.push(toEol());
              break;
            } else break;
          }
          end();
          break;
        }
        case 'y': {
          const d = s[i++];
          if (d === undefined || d === '\n' || d === '\\') throw new Error('bad y delimiter');
          delimited(d, false);
          delimited(d, false);
          end();
          break;
        }
        case 'a':
        case 'i':
        case 'c':
          // Text to the end of the line; a trailing backslash continues it.
          while (i < s.length && s[i] !== '\n') i += s[i] === '\\' ? 2 : 1;
          break;
        case 'r':
        case 'R':
          ws();
          f.reads.push(toEol());
          break;
        case 'w':
        case 'W':
          ws();
          f.writes.push(toEol());
          break;
        case 'e': {
          ws();
          const command = toEol();
          if (command.trim() === '') f.exec = true;
          else f.commands.push(command);
          break;
        }
        case 'b':
        case 't':
        case 'T':
        case ':':
        case 'v':
          toSep();
          break;
        case 'q':
        case 'Q':
        case 'l':
        case 'L':
          ws();
          while (i < s.length && /[0-9]/.test(s[i]!)) i++;
          end();
          break;
        default:
          if (cmd === undefined || !'=dDgGhHnNpPxzF'.includes(cmd))
            throw new Error(`unknown command ${JSON.stringify(cmd)}`);
          end();
      }
    }
  } catch (e) {
    f.error = (e as Error).message;
  }
  return f;
}

export function sed(c: Ctx): void {
  const { a, idx, args } = c;
  const scripts: Word[] = [];
  const positional: Word[] = [];
  let inPlace = false;
  let sandbox = false;
  let fromFile = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const s = w.value;
    if (s === undefined || s === '-' || !s.startsWith('-')) {
      positional.push(w);
    } else if (s === '--') {
      positional.push(...args.slice(i + 1));
      break;
    } else if (s.startsWith('--')) {
      const eq = s.indexOf('=');
      const name = eq < 0 ? s : s.slice(0, eq);
      const val = (): Word | undefined => (eq >= 0 ? literalWord(s.slice(eq + 1)) : args[++i]);
      if (name === '--expression') scripts.push(val() ?? literalWord(''));
      else if (name === '--file') {
        fromFile = true;
        const fw = val();
        if (fw) checkWord(a, fw, 'read', idx);
      } else if (name === '--in-place') inPlace = true;
      else if (name === '--sandbox') sandbox = true;
      else if (name === '--line-length' && eq < 0) i++;
    } else {
      for (let j = 1; j < s.length; j++) {
        const ch = s[j]!;
        const rest = s.slice(j + 1);
        if (ch === 'i')
          inPlace = true; // the rest of the word is a backup suffix
        else if (ch === 'e') scripts.push(rest !== '' ? literalWord(rest) : (args[++i] ?? literalWord('')));
        else if (ch === 'f') {
          fromFile = true;
          const fw = rest !== '' ? literalWord(rest) : args[++i];
          if (fw) checkWord(a, fw, 'read', idx);
        } else if (ch === 'l') {
          if (rest === '') i++;
        } else continue;
        break;
      }
    }
  }
  if (scripts.length === 0 && !fromFile && positional.length > 0) scripts.push(positional.shift()!);
  if (fromFile && !sandbox) a.add('hidden_command', 'sed -f runs a script file whose commands are not checked', idx);
  for (const sc of scripts) {
    if (sc.value === undefined) {
      a.add('hidden_command', `the sed script ${sc.text} is an expansion`, idx);
      continue;
    }
    if (sandbox) continue; // --sandbox refuses e, r and w
    const facts = sedScript(sc.value);
    if (facts.error) a.add('hidden_command', `sed script could not be checked (${facts.error})`, idx);
    if (facts.exec) a.add('hidden_command', "the sed script's e command runs shell commands", idx);
    for (const command of facts.commands) {
      a.add('hidden_command', `the sed script's e command runs ${command.slice(0, 60)}`, idx);
      innerScript(c, literalWord(command), 'sed e');
    }
    for (const p of facts.writes) writeCheck(c, literalWord(p), `sed w writes ${p}`);
    for (const p of facts.reads) checkWord(a, literalWord(p), 'read', idx);
  }
  if (inPlace) a.add('writes_files', 'sed -i edits files in place', idx);
  for (const w of positional) if (w.value !== '-') checkWord(a, w, inPlace ? 'write' : 'read', idx);
}

export function awk(c: Ctx): void {
  const { a, idx } = c;
  const { options, positional } = splitArgs(c.args, 'FvfeilE', [
    '--field-separator',
    '--assign',
    '--file',
    '--source',
    '--include',
    '--load',
    '--exec',
  ]);
  const programs: Word[] = [];
  let inPlace = false;
  for (const o of options) {
    if (!o.value) continue;
    if (/^(-f|--file|-E|--exec)$/.test(o.name)) {
      a.add('hidden_command', `awk ${o.name} runs a program file whose code is not checked`, idx);
      checkWord(a, o.value, 'read', idx);
    } else if (/^(-e|--source)$/.test(o.name)) programs.push(o.value);
    else if (/^(-i|--include)$/.test(o.name)) {
      if (o.value.value === 'inplace') inPlace = true;
      else a.add('hidden_command', `awk ${o.name} loads a library`, idx);
    } else if (/^(-l|--load)$/.test(o.name)) a.add('hidden_command', 'awk -l loads a native extension', idx);
  }
  if (programs.length === 0 && !options.some((o) => /^(-f|--file|-E|--exec)$/.test(o.name)) && positional.length > 0) {
    programs.push(positional.shift()!);
  }
  for (const p of programs) awkProgram(c, p);
  if (inPlace) a.add('writes_files', 'awk -i inplace edits files', idx);
  for (const w of positional) {
    if (w.value !== undefined && /^[A-Za-z_]\w*=/.test(w.value)) continue; // var=value, not a file
    if (w.value !== '-') checkWord(a, w, inPlace ? 'write' : 'read', idx);
  }
}

function awkProgram(c: Ctx, p: Word): void {
  const { a, idx } = c;
  const s = p.value;
  if (s === undefined) {
    a.add('hidden_command', `the awk program ${p.text} is an expansion`, idx);
    return;
  }
  // Commands the program runs, when they are string literals, are classified like any command line.
  if (/\bsystem\s*\(/.test(s)) a.add('hidden_command', 'the awk program calls system()', idx);
  if (s.includes('|')) a.add('hidden_command', 'the awk program pipes to or from a command', idx);
  for (const m of s.matchAll(
    /\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)|\|\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"\s*\|\s*getline/g,
  )) {
    const command = (m[1] ?? m[2] ?? m[3]!).replace(/\\(.)/g, '$1');
    innerScript(c, literalWord(command), 'awk');
  }
  if (/@\s*(load|include|namespace)/.test(s)) a.add('hidden_command', 'the awk program loads code', idx);
  if (/\bENVIRON\b|\bPROCINFO\b/.test(s)) a.add('env_dump', 'the awk program reads ENVIRON', idx);
  for (const m of s.matchAll(/\bprintf?\b[^;{}\n]*?>>?\s*("([^"]*)"|.)/g)) {
    // Only a string that ends the statement is the whole file name (`> "a" b` concatenates).
    const ends = /^\s*($|[;}\n)#]|\|\|)/.test(s.slice(m.index + m[0].length));
    if (m[2] !== undefined && ends) writeCheck(c, literalWord(m[2]), `the awk program writes ${m[2]}`);
    else {
      a.add('writes_files', 'the awk program writes to a file (print >)', idx);
      a.add('outside_path', 'the awk program writes to a file named at run time', idx);
      a.add('unknown_targets', 'the awk program writes to a file it names at run time (print > …)', idx);
    }
  }
  for (const m of s.matchAll(/\bgetline\b[^;{}\n]*?<\s*("([^"]*)"|.)/g)) {
    const ends = /^\s*($|[;}\n)#]|[<>=!]=?|&&|\|\|)/.test(s.slice(m.index + m[0].length));
    if (m[2] !== undefined && ends) checkWord(a, literalWord(m[2]), 'read', idx);
    else {
      a.add('outside_path', 'the awk program reads a file named at run time (getline <)', idx);
      a.add('unknown_targets', 'the awk program reads a file it names at run time (getline < …)', idx);
    }
  }
  // Changing ARGV/ARGC chooses which files awk reads after BEGIN, at run time.
  if (
    /\bARG[VC]\b(\s*\[[^\]]*\])?\s*([-+*/%^]?=(?!=)|\+\+|--)|(\+\+|--)\s*ARG[VC]\b|\b(split|sub|gsub|getline|delete)\b[^;{}\n]*\bARG[VC]\b/.test(
      s,
    )
  ) {
    a.add('unknown_targets', 'the awk program changes ARGV/ARGC, so which files it reads is chosen at run time', idx);
  }
}
