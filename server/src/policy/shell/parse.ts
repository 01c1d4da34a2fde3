// Parsing a command line with tree-sitter-bash, within bounds. The tree is copied into plain objects
// (type, field, source range, children) while its depth and size are checked, then freed: walking
// plain objects is cheaper than crossing into wasm for every node, and the wasm memory is released
// even if the analysis throws.
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** Input longer than this is not analysed (an agent's command line is far shorter). */
export const MAX_CHARS = 20_000;
/** Deeper trees are "too complex": 5,000 nested `$(` must not cost a stack or a second. */
export const MAX_DEPTH = 256;
/** Nodes over all the parses of one line (the line and the scripts found inside it). */
export const MAX_NODES = 60_000;

export interface PNode {
  type: string;
  named: boolean;
  field: string | null;
  start: number;
  end: number;
  missing: boolean;
  children: PNode[];
}

export type ParseResult = { ok: true; root: PNode; hasError: boolean } | { ok: false; reason: string };

/** The shared budget of one analysis: wall-clock deadline and nodes left. */
export interface Budget {
  deadline: number;
  nodesLeft: number;
}

let parserPromise: Promise<Parser> | undefined;

/** One parser for the process, created on first use (init and grammar load take ~20-30 ms). */
export function getParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    const require = createRequire(import.meta.url);
    // web-tree-sitter looks for its wasm beside the script that loaded it, which in the bundle is
    // dist/; point it at the package's own copy instead.
    const runtimeWasm = require.resolve('web-tree-sitter/web-tree-sitter.wasm');
    await Parser.init({ locateFile: () => runtimeWasm });
    const wasm = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
    const lang = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(lang);
    return parser;
  })();
  parserPromise.catch(() => {
    parserPromise = undefined; // let a later call retry instead of caching the failure
  });
  return parserPromise;
}

// Characters bash does not treat as whitespace but a terminal or an editor may hide or render as a
// line break: a human reading `git status<CR>rm -rf ~` sees one thing, bash runs another. C0/C1
// controls (except tab and newline), vertical whitespace, unusual spaces, zero-width and bidi marks.
const SUSPICIOUS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufff9-\ufffb]/u;
const SUSPICIOUS_ALL = new RegExp(SUSPICIOUS.source, 'gu');

/** Why the raw text must not be trusted, before any parsing. `fatal` means do not even try. */
export function preflight(src: string): { fatal: boolean; reason: string; cleaned?: string } | undefined {
  if (src.length > MAX_CHARS) return { fatal: true, reason: `the line is longer than ${MAX_CHARS} characters` };
  if (src.includes('\0')) return { fatal: true, reason: 'the line contains a NUL character' };
  const m = SUSPICIOUS.exec(src);
  if (m) {
    const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    // Still analysed with those characters read as line breaks, so every command a reader might
    // miss is listed and classified; the line as a whole stays unparseable.
    return {
      fatal: false,
      reason: `the line contains a control, invisible or vertical-whitespace character (${code}) that can hide commands`,
      cleaned: src.replace(SUSPICIOUS_ALL, '\n'),
    };
  }
  return undefined;
}

/** Parse `src`; on success the tree is plain objects bounded by MAX_DEPTH and the budget. */
export function parse(parser: Parser, src: string, budget: Budget): ParseResult {
  let tree: Tree | null;
  try {
    tree = parser.parse(src, null, { progressCallback: () => performance.now() > budget.deadline });
  } catch (e) {
    parser.reset();
    return { ok: false, reason: `the parser failed: ${(e as Error).message}` };
  }
  if (!tree) {
    parser.reset(); // a cancelled parse would otherwise resume on the next call
    return { ok: false, reason: 'parsing took too long' };
  }
  try {
    const root = copy(tree, budget);
    if (typeof root === 'string') return { ok: false, reason: root };
    return { ok: true, root, hasError: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}

function copy(tree: Tree, budget: Budget): PNode | string {
  const c = tree.walk();
  try {
    const mk = (): PNode => ({
      type: c.nodeType,
      named: c.nodeIsNamed,
      field: c.currentFieldName,
      start: c.startIndex,
      end: c.endIndex,
      missing: c.nodeIsMissing,
      children: [],
    });
    const root = mk();
    const stack: PNode[] = [root];
    for (;;) {
      if (c.gotoFirstChild()) {
        // first child of the node on top of the stack
      } else {
        let moved = false;
        while (!moved) {
          if (c.gotoNextSibling()) {
            stack.pop();
            moved = true;
          } else if (c.gotoParent()) {
            stack.pop();
          } else {
            return root;
          }
        }
      }
      const n = mk();
      stack[stack.length - 1]!.children.push(n);
      stack.push(n);
      if (stack.length > MAX_DEPTH) return `the line is too complex (nesting deeper than ${MAX_DEPTH})`;
      if (--budget.nodesLeft < 0) return 'the line is too complex (too many syntax nodes)';
      if ((budget.nodesLeft & 1023) === 0 && performance.now() > budget.deadline) return 'analysis took too long';
    }
  } finally {
    c.delete();
  }
}

/** First ERROR or MISSING node, for the message. */
export function firstError(n: PNode, src: string): string | undefined {
  if (n.type === 'ERROR')
    return `syntax error near ${JSON.stringify(src.slice(n.start, Math.min(n.end, n.start + 30)))}`;
  if (n.missing) return `missing ${JSON.stringify(n.type)} near offset ${n.start}`;
  for (const ch of n.children) {
    const e = firstError(ch, src);
    if (e) return e;
  }
  return undefined;
}
