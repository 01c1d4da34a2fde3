// What the user attached with @-mentions, turned into text for the task's first message. Files,
// folders and URLs are read through the same tools and policy as the model's own calls (so a mention
// of `.env` still asks, and a URL goes through the network tier), which also makes each read visible
// as a tool call of the first turn. The git diff is read here with a fixed, safe command line; the
// selection, the problems and the terminal come from the editor.
import { execFile } from 'node:child_process';
import type { ContextItem, ToolResultEnvelope } from '../protocol/events.ts';
import type { Attachment } from '../protocol/methods.ts';
import { inertGitEnv, repositorySettings } from '../workspace/inert-git.ts';

export { ATTACHMENT_CALL_PREFIX } from '../protocol/events.ts';

export interface AttachmentDeps {
  root: string;
  trusted: boolean;
  /** Runs a tool call through the policy, as if the model had made it. */
  runTool: (name: string, args: Record<string, unknown>) => Promise<ToolResultEnvelope>;
  redact: (text: string) => string;
  /** Characters all attachments together may take (a share of the model's window). */
  budgetChars: number;
  signal: AbortSignal;
}

export interface ResolvedAttachments {
  /** Appended to the task in the first user message; empty when nothing was attached. */
  text: string;
  items: ContextItem[];
}

const EDITOR_ONLY: Partial<Record<Attachment['kind'], string>> = {
  selection: 'the editor selection',
  problems: 'the problems list',
  terminal: 'the terminal output',
};

export async function resolveAttachments(
  list: readonly Attachment[],
  deps: AttachmentDeps,
): Promise<ResolvedAttachments> {
  const blocks: string[] = [];
  const items: ContextItem[] = [];
  let left = deps.budgetChars;
  for (const a of list) {
    const label = a.label ?? defaultLabel(a);
    const got = await read(a, deps);
    if (!got.ok) {
      items.push({
        kind: a.kind,
        label,
        ...(a.target ? { target: a.target } : {}),
        chars: 0,
        ok: false,
        note: got.note,
      });
      continue;
    }
    let text = deps.redact(got.text);
    let note: string | undefined;
    if (text.length > left) {
      note = `cut to ${left} of ${text.length} characters to fit the model's window`;
      text = text.slice(0, Math.max(0, left));
    }
    left -= text.length;
    const attrs = `kind="${a.kind}"${a.target ? ` ${a.kind === 'url' ? 'url' : 'path'}="${a.target}"` : ''}`;
    blocks.push(`<attached ${attrs}>\n${text}${note ? `\n[${note}]` : ''}\n</attached>`);
    items.push({
      kind: a.kind,
      label,
      ...(a.target ? { target: a.target } : {}),
      chars: text.length,
      ok: true,
      ...(note ? { note } : {}),
    });
  }
  const text = blocks.length === 0 ? '' : `\n\nThe user attached:\n\n${blocks.join('\n\n')}`;
  return { text, items };
}

type Read = { ok: true; text: string } | { ok: false; note: string };

async function read(a: Attachment, deps: AttachmentDeps): Promise<Read> {
  switch (a.kind) {
    case 'file':
    case 'folder':
    case 'url': {
      if (!a.target) return { ok: false, note: `@${a.kind} needs a ${a.kind === 'url' ? 'URL' : 'path'}` };
      const [tool, args] =
        a.kind === 'file'
          ? ['read', { path: a.target }]
          : a.kind === 'folder'
            ? ['ls', { path: a.target, depth: 2 }]
            : ['fetch', { url: a.target }];
      const res = await deps.runTool(tool, args);
      return res.ok ? { ok: true, text: res.output } : { ok: false, note: res.output };
    }
    case 'git-changes':
      if (!deps.trusted) return { ok: false, note: 'git is not run in an untrusted workspace' };
      return gitChanges(deps.root, deps.signal);
    default: {
      if (a.content === undefined)
        return { ok: false, note: `${EDITOR_ONLY[a.kind] ?? a.kind} is only available in the editor` };
      if (a.content.trim() === '')
        return {
          ok: false,
          note: `${EDITOR_ONLY[a.kind] ?? a.kind} is empty${a.kind === 'terminal' ? " (VS Code exposes a terminal's output only with shell integration)" : ''}`,
        };
      return { ok: true, text: a.content };
    }
  }
}

function defaultLabel(a: Attachment): string {
  return a.target ?? `@${a.kind}`;
}

/** Uncommitted changes: the diff against HEAD and the untracked files. Nothing the repository
 * configures runs: the inert settings (hooks, fsmonitor, pager), no external diff or text conversion,
 * and the repository's own filter drivers (which status and diff run on changed files) emptied. */
async function gitChanges(root: string, signal: AbortSignal): Promise<Read> {
  const env = inertGitEnv(filtersEmptied(root));
  const safe = ['--no-pager'];
  // A repository with no commit yet has no HEAD: diff against the empty tree instead.
  const head = (await git(root, [...safe, 'rev-parse', '--verify', '-q', 'HEAD'], env, signal)).ok
    ? 'HEAD'
    : EMPTY_TREE;
  const diff = await git(root, [...safe, 'diff', '--no-ext-diff', '--no-textconv', '--no-color', head], env, signal);
  if (!diff.ok) return diff;
  const status = await git(root, [...safe, 'status', '--porcelain', '--untracked-files=all'], env, signal);
  const untracked = status.ok
    ? status.text
        .split('\n')
        .filter((l) => l.startsWith('?? '))
        .map((l) => l.slice(3))
    : [];
  const parts = [diff.text.trim() === '' ? '(no changes to tracked files)' : diff.text.trimEnd()];
  if (untracked.length > 0) parts.push(`Untracked files:\n${untracked.join('\n')}`);
  return { ok: true, text: parts.join('\n\n') };
}

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** `filter.<name>.clean=` and the like for each filter the repository defines: an empty command is
 * no filter (the file is compared as it is), and `required` must not turn that into an error. */
function filtersEmptied(root: string): Array<[string, string]> {
  const names = new Set<string>();
  for (const s of repositorySettings(root) ?? []) {
    const m = /^filter\.(.+)\.(clean|smudge|process|required)$/i.exec(s.key);
    if (m) names.add(m[1]!);
  }
  return [...names].flatMap(
    (n): Array<[string, string]> => [
      [`filter.${n}.clean`, ''],
      [`filter.${n}.smudge`, ''],
      [`filter.${n}.process`, ''],
      [`filter.${n}.required`, 'false'],
    ],
  );
}

function git(cwd: string, args: string[], gitEnv: Record<string, string>, signal: AbortSignal): Promise<Read> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        signal,
        maxBuffer: 8 * 1024 * 1024,
        env: { ...process.env, ...gitEnv, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
      },
      (err, stdout, stderr) => {
        if (err)
          resolve({
            ok: false,
            note: `git ${args.filter((x) => !x.startsWith('-') && !x.includes('=')).join(' ')} failed: ${(stderr || err.message).trim().split('\n')[0]}`,
          });
        else resolve({ ok: true, text: stdout });
      },
    );
  });
}
