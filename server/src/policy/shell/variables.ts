// Shell variables the script itself sets, and declaration builtins (export/declare/local/…).
// Knowing which names the script assigns tells a harmless `$f` (a loop variable) from a read of the
// environment (`$OPENAI_API_KEY`), and which variables hold text that arithmetic would evaluate.
import { SAFE_VARS, dangerousEnv } from './commands.ts';
import type { PNode } from './parse.ts';
import type { Analysis } from './state.ts';
import { evalWord, nodeText } from './words.ts';

const READS_INTO: Record<string, 'all' | 'last' | 'printf' | 'getopts'> = {
  read: 'all',
  mapfile: 'last',
  readarray: 'last',
  printf: 'printf',
  getopts: 'getopts',
};

/** Record every variable the script assigns (anywhere, in any branch: an over-approximation). */
export function collectAssignments(a: Analysis, src: string, root: PNode): void {
  const otherAssigned = new Set<string>();
  const walk = (n: PNode, parent: string): void => {
    if (n.type === 'variable_assignment' && parent !== 'command') {
      const nm = n.children.find((c) => c.field === 'name');
      const val = n.children.find((c) => c.field === 'value');
      const name = nm ? nodeText(src, nm.type === 'subscript' ? (nm.children[0] ?? nm) : nm) : '';
      a.assigned.add(name);
      otherAssigned.add(name);
      if (val && val.type !== 'arithmetic_expansion' && !/^-?\d+$/.test(evalWord(src, val, a.home).value ?? 'x')) {
        a.tainted.add(name);
      }
    } else if (n.type === 'for_statement') {
      const v = n.children.find((c) => c.field === 'variable');
      const values = n.children.filter((c) => c.field === 'value');
      const numeric =
        values.length > 0 &&
        values.every((c) => c.type === 'number' || c.type === 'brace_expression' || /^-?\d+$/.test(nodeText(src, c)));
      if (v) {
        const name = nodeText(src, v);
        a.assigned.add(name);
        if (!numeric) a.tainted.add(name); // `for i in 1 2 3`: arithmetic on i is fine
        // `for f in src/*.ts`: a later "$f" is one of these words, so paths can still be checked.
        const words = values.map((c) => evalWord(src, c, a.home));
        if (values.length > 0 && words.every((w) => w.value !== undefined)) {
          a.loopValues.set(name, [...(a.loopValues.get(name) ?? []), ...words]);
        } else otherAssigned.add(name);
      }
    } else if (n.type === 'declaration_command') {
      // `local x` / `declare x` create x; `export x` or `declare -p x` only name an existing one.
      const kw = n.children[0]?.type ?? '';
      const printing = n.children.some((c) => c.type === 'word' && /^-\w*p/.test(nodeText(src, c)));
      if (kw !== 'export' && !printing) {
        for (const c of n.children) if (c.type === 'variable_name') a.assigned.add(nodeText(src, c));
      }
    } else if (n.type === 'command') {
      const nameNode = n.children.find((c) => c.field === 'name');
      const kind = nameNode ? READS_INTO[nodeText(src, nameNode)] : undefined;
      const args = n.children.filter((c) => c.field === 'argument').map((c) => nodeText(src, c));
      const names: string[] = [];
      if (kind === 'all') names.push(...args.filter((x) => /^[A-Za-z_]\w*$/.test(x)));
      if (kind === 'last' && args.length > 0) names.push(args[args.length - 1]!);
      if (kind === 'getopts' && args.length > 1) names.push(args[1]!);
      if (kind === 'printf') {
        const i = args.indexOf('-v');
        if (i >= 0 && args[i + 1]) names.push(args[i + 1]!);
      }
      for (const x of names) {
        a.assigned.add(x);
        a.tainted.add(x);
        otherAssigned.add(x);
      }
    }
    for (const c of n.children) walk(c, n.type);
  };
  walk(root, '');
  for (const name of otherAssigned) a.loopValues.delete(name); // set some other way too: unknown
}

/** `export`, `declare`, `typeset`, `readonly`, `local`: a simple command of their own. */
export function declaration(a: Analysis, src: string, n: PNode, via: string[], home: string): number {
  const keyword = n.children[0]?.type ?? '';
  const rest = n.children.slice(1);
  const idx = a.commands.length;
  a.commands.push({ name: keyword, args: rest.map((c) => nodeText(src, c)), env: [], via, text: nodeText(src, n) });
  const opts = rest.filter((c) => c.type === 'word' && /^[-+]/.test(nodeText(src, c))).map((c) => nodeText(src, c));
  const assigns = rest.filter((c) => c.type === 'variable_assignment');
  const names = rest.filter((c) => c.type === 'variable_name').map((c) => nodeText(src, c));
  if (assigns.length === 0 && names.length === 0 && keyword !== 'local' && !opts.some((o) => /[fF]/.test(o))) {
    a.add('env_dump', `${keyword} without names lists variables (and the environment)`, idx);
  }
  if (opts.some((o) => o.includes('p'))) {
    for (const name of names) {
      if (!SAFE_VARS.has(name) && !a.assigned.has(name)) a.add('env_dump', `${keyword} -p prints ${name}`, idx);
    }
  }
  if (opts.some((o) => o.startsWith('-') && o.includes('n'))) {
    a.add('hidden_command', `${keyword} -n makes a name reference, which can evaluate array subscripts`, idx);
  }
  if (
    rest.some((c) => c.type !== 'variable_assignment' && /\[[^\]]*(\$\(|`)|^$/.test(evalWord(src, c, home).value ?? ''))
  ) {
    a.add('hidden_command', `${keyword} evaluates an array subscript that contains a command substitution`, idx);
  }
  const integer = opts.some((o) => o.startsWith('-') && o.includes('i'));
  for (const as of assigns) {
    const nm = as.children.find((c) => c.field === 'name');
    const name = nm ? nodeText(src, nm) : '';
    if (dangerousEnv(name)) a.add('dangerous_env', `${keyword} ${name}=… changes what programs load or run`, idx);
    const val = as.children.find((c) => c.field === 'value');
    if (integer && val && !/^-?\d+$/.test(evalWord(src, val, home).value ?? 'x')) {
      a.add(
        'hidden_command',
        `${keyword} -i evaluates ${nodeText(src, val)} as arithmetic, which can run commands`,
        idx,
      );
    }
  }
  for (const name of names) {
    if (keyword === 'export' && dangerousEnv(name)) a.add('dangerous_env', `exports ${name}`, idx);
  }
  return idx;
}

/** A variable read: one the script did not set (and not a harmless one) reads the environment. */
export function expansion(a: Analysis, src: string, n: PNode): void {
  const t = nodeText(src, n);
  if (/@P\}$/.test(t)) a.add('hidden_command', `${t} expands the value as a prompt, running any $(…) in it`);
  if (/^\$\{[!]/.test(t)) {
    a.add('env_dump', `${t} reads a variable chosen at run time`);
    return;
  }
  const v = n.children.find((c) => c.type === 'variable_name' || c.type === 'subscript');
  const name = v?.type === 'subscript' ? nodeText(src, v.children[0] ?? v) : v ? nodeText(src, v) : undefined;
  if (name === undefined || /^\d+$/.test(name) || SAFE_VARS.has(name) || a.assigned.has(name)) return;
  a.add('env_dump', `${t} reads the environment variable ${name}`);
}

/** Arithmetic evaluates variable values as expressions, and `a[$(cmd)]` in a value runs cmd. */
export function arithmetic(a: Analysis, src: string, n: PNode): void {
  const names = new Set<string>();
  const collect = (x: PNode): void => {
    if (x.type === 'variable_name' || (x.type === 'word' && /^[A-Za-z_]\w*$/.test(nodeText(src, x))))
      names.add(nodeText(src, x));
    for (const c of x.children) collect(c);
  };
  collect(n);
  for (const name of names) {
    if (a.tainted.has(name) || /^\d+$/.test(name)) {
      a.add('hidden_command', `arithmetic on $${name}, which holds text: a value like a[$(cmd)] would run cmd`);
      return;
    }
  }
}
