// The shell classifier: parse a command line with tree-sitter-bash and report, for every simple
// command bash would run (including those inside substitutions, functions, loops, `bash -c` strings
// and wrappers), the facts a policy needs: what runs, what it touches, what cannot be known.
// It never decides; the policy engine does. Anything not provably harmless yields a concern.
import { dangerousEnv } from './commands.ts';
import { runCommand, type Cmd } from './classify.ts';
import { checkWord } from './path-args.ts';
import { firstError, getParser, MAX_NODES, parse, preflight, type PNode } from './parse.ts';
import { Analysis, MAX_SHELL_DEPTH, type Scope } from './state.ts';
import type { AnalyzeOptions, ShellAnalysis } from './types.ts';
import { evalWord, nodeText, type Word } from './words.ts';
import { arithmetic, collectAssignments, declaration, expansion } from './variables.ts';

/** Wall-clock bound for one line, parsing and analysis together. */
export const TIME_LIMIT_MS = 500;

export async function analyzeCommand(script: string, opts: AnalyzeOptions): Promise<ShellAnalysis> {
  const pre = preflight(script);
  if (pre?.fatal) return { parsed: false, commands: [], concerns: [{ kind: 'unparseable', detail: pre.reason }] };
  let parser: Awaited<ReturnType<typeof getParser>>;
  try {
    parser = await getParser();
  } catch (e) {
    return {
      parsed: false,
      commands: [],
      concerns: [{ kind: 'unparseable', detail: `the shell parser failed to load: ${(e as Error).message}` }],
    };
  }
  const a = new Analysis(opts, { deadline: performance.now() + TIME_LIMIT_MS, nodesLeft: MAX_NODES });
  if (pre) a.add('unparseable', pre.reason);
  a.inner = (src, scope, from) => {
    if (scope.shellDepth > MAX_SHELL_DEPTH) {
      a.add('unparseable', `scripts nested more than ${MAX_SHELL_DEPTH} deep are not analysed`, from);
      return;
    }
    script1(src, scope, from);
  };
  const script1 = (src: string, scope: Scope, from?: number): void => {
    const r = parse(parser, src, a.budget);
    if (!r.ok) {
      a.add('unparseable', r.reason, from);
      return;
    }
    // A tree with errors is still walked: whatever commands it shows are classified, but the line
    // as a whole stays unparseable.
    if (r.hasError) a.add('unparseable', firstError(r.root, src) ?? 'syntax error', from);
    collectAssignments(a, src, r.root);
    new Walker(a, src, scope).visit(r.root);
  };
  try {
    script1(pre?.cleaned ?? script, { via: [], shellDepth: 0, functions: new Set() });
    a.finish();
  } catch (e) {
    // A bound hit mid-walk, or a bug: either way fail closed.
    a.add('unparseable', `analysis stopped: ${(e as Error).message}`);
  }
  return { parsed: !a.unparseable, commands: a.commands, concerns: a.concerns };
}

const REDIRECTS = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const WRITE_OPS = new Set(['>', '>>', '&>', '&>>', '>|']);

class Walker {
  private readonly a: Analysis;
  private readonly src: string;
  private readonly scope: Scope;

  constructor(a: Analysis, src: string, scope: Scope) {
    this.a = a;
    this.src = src;
    this.scope = scope;
  }

  private text(n: PNode): string {
    return nodeText(this.src, n);
  }

  private word(n: PNode): Word {
    return evalWord(this.src, n, this.a.home);
  }

  /** Visit a node; returns the index of the simple command it was, if it was one. */
  visit(n: PNode): number | undefined {
    this.joined(n);
    switch (n.type) {
      case 'command':
        return this.command(n, []);
      case 'redirected_statement': {
        const body = n.children.find((c) => c.field === 'body');
        const redirects = n.children.filter((c) => REDIRECTS.has(c.type));
        const idx = body?.type === 'command' ? this.command(body, redirects) : body ? this.visit(body) : undefined;
        for (const r of redirects) this.redirect(r, idx);
        for (const c of n.children) if (c !== body && !REDIRECTS.has(c.type)) this.visit(c);
        return idx;
      }
      case 'function_definition':
        this.functionDef(n);
        return undefined;
      case 'variable_assignment':
        this.assignment(n);
        return undefined;
      case 'declaration_command':
        declaration(this.a, this.src, n, this.scope.via, this.a.home);
        this.children(n);
        return undefined;
      case 'unset_command':
      case 'test_command': {
        const name = this.text(n.children[0]!);
        this.a.commands.push({
          name,
          args: n.children.slice(1).map((c) => this.text(c)),
          env: [],
          via: this.scope.via,
          text: this.text(n),
        });
        if (n.type === 'test_command' && /\s-(eq|ne|lt|le|gt|ge)\s/.test(this.text(n))) arithmetic(this.a, this.src, n);
        if (n.type === 'unset_command') this.unset(n, this.a.commands.length - 1);
        if (n.type === 'test_command' && (this.quotedSubscript(n) || /\s-v\s+["']?\$/.test(this.text(n)))) {
          // [[ -v 'a[$(id)]' ]] evaluates the quoted subscript
          this.a.add(
            'hidden_command',
            `${this.text(n).slice(0, 60)} may evaluate an array subscript with a command in it`,
          );
        }
        this.children(n);
        return undefined;
      }
      case 'command_substitution':
      case 'process_substitution': {
        const t = this.text(n).trim();
        this.a.add('command_substitution', `${t.slice(0, 60)} runs a command to build the line`);
        // Inside backticks bash first turns \` \$ \\ into ` $ \ and then parses the text, so
        // `echo \`id\`` nests a substitution the tree does not show: parse what bash parses.
        if (t.startsWith('`') && /\\[`$\\]/.test(t.slice(1, -1))) {
          const inner = t.slice(1, -1).replace(/\\([`$\\])/g, '$1');
          this.a.inner(
            inner,
            {
              ...this.scope,
              via: [...this.scope.via, '`'],
              shellDepth: this.scope.shellDepth + 1,
              functions: new Set(),
            },
            this.a.commands.length - 1,
          );
          return undefined;
        }
        this.children(n);
        return undefined;
      }
      case 'file_redirect':
      case 'heredoc_redirect':
      case 'herestring_redirect':
        this.redirect(n, undefined);
        return undefined;
      case 'simple_expansion':
      case 'expansion':
        expansion(this.a, this.src, n);
        this.children(n);
        return undefined;
      case 'arithmetic_expansion':
      case 'c_style_for_statement':
      case 'subscript':
        arithmetic(this.a, this.src, n);
        this.children(n);
        return undefined;
      case 'compound_statement':
        if (n.children[0]?.type === '((') arithmetic(this.a, this.src, n);
        this.children(n);
        return undefined;
      case '&':
        if (!n.named) this.a.add('background', 'runs a job in the background (&)');
        return undefined;
      default:
        this.children(n);
        return undefined;
    }
  }

  /** tree-sitter reads `true\\<newline>ncate` as two words; bash removes the backslash-newline and
   * runs `truncate`. Two siblings separated only by line continuations are one word to bash. */
  private joined(n: PNode): void {
    for (let i = 1; i < n.children.length; i++) {
      const gap = this.src.slice(n.children[i - 1]!.end, n.children[i]!.start);
      if (gap !== '' && /^(\\\r?\n)+$/.test(gap)) {
        this.a.add('unparseable', 'a backslash-newline joins two words, which bash reads as one');
        return;
      }
    }
  }

  private children(n: PNode): void {
    const top = n.type === 'program';
    for (const c of n.children) {
      this.visit(c);
      // Only functions defined unconditionally at the top level, before a call, are known to exist.
      if (top && c.type === 'function_definition') {
        const name = c.children.find((x) => x.field === 'name');
        if (name) this.scope.functions.add(this.text(name));
      }
    }
  }

  private command(n: PNode, outerRedirects: PNode[]): number {
    const nameNode = n.children.find((c) => c.field === 'name');
    const args = n.children.filter((c) => c.field === 'argument');
    const env = n.children.filter((c) => c.type === 'variable_assignment');
    const redirects = n.children.filter((c) => REDIRECTS.has(c.type));
    const cmd: Cmd = {
      name: nameNode ? this.word(nameNode) : { text: '', value: '', glob: false },
      args: args.map((c) => this.word(c)),
      env: env.map((c) => {
        const nm = c.children.find((x) => x.field === 'name');
        const val = c.children.find((x) => x.field === 'value');
        return { name: nm ? this.text(nm) : '', value: val ? this.word(val) : { text: '', value: '', glob: false } };
      }),
      text: this.text(n),
      via: this.scope.via,
      stdin: this.stdinOf([...redirects, ...outerRedirects]),
    };
    const idx = runCommand(this.a, this.scope, cmd);
    if (this.scope.inFunction !== undefined && cmd.name.value === this.scope.inFunction) {
      this.a.add('destructive', `function ${this.scope.inFunction} calls itself (fork bomb?)`, idx);
    }
    for (const c of n.children) {
      if (REDIRECTS.has(c.type)) this.redirect(c, idx);
      else if (c.type === 'variable_assignment') this.children(c);
      else this.visit(c);
    }
    return idx;
  }

  /** The literal text a here-document or here-string feeds the command, for shells reading stdin. */
  private stdinOf(redirects: PNode[]): Word | undefined {
    for (const r of redirects) {
      if (r.type === 'herestring_redirect') {
        const w = r.children.find((c) => c.named);
        return w ? this.word(w) : undefined;
      }
      if (r.type === 'heredoc_redirect') {
        const start = r.children.find((c) => c.type === 'heredoc_start');
        const body = r.children.find((c) => c.type === 'heredoc_body');
        if (!body) return undefined;
        const quoted = start !== undefined && /['"\\]/.test(this.text(start));
        const plain = body.children.every((c) => c.type === 'heredoc_content' || !c.named);
        return { text: this.text(body), value: quoted || plain ? this.text(body) : undefined, glob: false };
      }
    }
    return undefined;
  }

  private redirect(n: PNode, idx: number | undefined): void {
    if (n.type !== 'file_redirect') {
      this.children(n); // here-docs and here-strings are data; only their expansions run
      return;
    }
    const dest = n.children.find((c) => c.field === 'destination');
    const op = n.children.find((c) => !c.named && c.type !== 'ERROR')?.type ?? '';
    const broken = n.children.some((c) => c.type === 'ERROR'); // `<>` is not in the grammar
    this.children(n); // substitutions in the target, and anything the parser attached here
    if (!dest || op === '>&-' || op === '<&-') return;
    const w = this.word(dest);
    if ((op === '>&' || op === '<&') && w.value !== undefined && /^(\d+|-)$/.test(w.value)) return; // fd dup
    const write = WRITE_OPS.has(op) || op === '>&' || broken;
    const read = op === '<' || op === '<&' || broken;
    if (read) checkWord(this.a, w, 'read', idx);
    if (write) {
      checkWord(this.a, w, 'write', idx);
      const net = w.value !== undefined && /^\/dev\/(tcp|udp)\//.test(w.value);
      if (!net && !(w.value !== undefined && /^\/dev\/(null|stdout|stderr|fd\/[12])$/.test(w.value))) {
        this.a.add('writes_files', `redirects output to ${w.text}`, idx);
      }
    }
  }

  /** `unset GIT_CONFIG_COUNT` undoes the command environment's git settings (`unset -f` is functions). */
  private unset(n: PNode, idx: number): void {
    const words = n.children
      .slice(1)
      .map(
        (c): Word =>
          c.type === 'variable_name' ? { text: this.text(c), value: this.text(c), glob: false } : this.word(c),
      );
    if (words.some((w) => w.value === '-f')) return;
    for (const w of words) {
      if (w.value?.startsWith('-')) continue;
      if (w.value === undefined || dangerousEnv(w.value))
        this.a.add('dangerous_env', `unset ${w.text} removes a variable that changes what programs run`, idx);
    }
  }

  private functionDef(n: PNode): void {
    const nameNode = n.children.find((c) => c.field === 'name');
    const name = nameNode ? this.text(nameNode) : '';
    const inner: Scope = { ...this.scope, inFunction: name };
    const walker = new Walker(this.a, this.src, inner);
    for (const c of n.children) if (c !== nameNode) walker.visit(c);
  }

  private assignment(n: PNode): void {
    const nm = n.children.find((c) => c.field === 'name');
    const name = nm ? this.text(nm.type === 'subscript' ? (nm.children[0] ?? nm) : nm) : '';
    if (dangerousEnv(name)) this.a.add('dangerous_env', `sets ${name}, which changes what programs load or run`);
    this.children(n);
  }

  private quotedSubscript(n: PNode): boolean {
    if (n.type === 'raw_string' || n.type === 'string' || n.type === 'word' || n.type === 'concatenation') {
      return /\[[^\]]*(\$\(|`)/.test(this.word(n).value ?? '');
    }
    return n.children.some((c) => this.quotedSubscript(c));
  }
}
