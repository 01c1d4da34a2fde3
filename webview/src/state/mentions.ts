// The composer's @-mentions, as pure functions of the text and the caret: which query the picker is
// answering, what it offers, what picking inserts, and which mentions are still in the text when it
// is sent (a mention the user deleted is not attached).
import type { AttachmentKind } from '../../../server/src/protocol/events.ts';
import type { Attachment } from '../../../server/src/protocol/methods.ts';

export type FileResult = { readonly path: string; readonly kind: 'file' | 'folder' };

/** The mentions that are not files: what only the editor (or git, or the network) can give. */
export const SPECIAL_MENTIONS: ReadonlyArray<{ name: string; kind: AttachmentKind; detail: string }> = [
  { name: 'selection', kind: 'selection', detail: 'the text selected in the editor' },
  { name: 'problems', kind: 'problems', detail: 'errors and warnings in the workspace' },
  { name: 'git-changes', kind: 'git-changes', detail: 'uncommitted changes (git diff)' },
  { name: 'terminal', kind: 'terminal', detail: 'the last command output in the terminal' },
  { name: 'url', kind: 'url', detail: 'a web page: type @https://…' },
];

export interface MentionQuery {
  /** Index of the '@'. */
  readonly start: number;
  /** What is typed between the '@' and the caret. */
  readonly query: string;
}

/** One row of the picker, with the attachment picking it records (undefined for @url, which the
 * user completes by typing the address). */
export interface PickerOption {
  readonly key: string;
  readonly kind: AttachmentKind;
  readonly label: string;
  readonly detail: string;
  /** The text that replaces `@query`. */
  readonly insert: string;
  readonly attachment?: Attachment & { readonly token: string };
}

export type PickedMention = Attachment & { readonly token: string };

const URL_START = /^https?:/i;

/** The mention being typed at the caret: an '@' at the start or after whitespace, then no whitespace
 * up to the caret. An address like a@b.c is not a mention. */
export function mentionAt(text: string, caret: number): MentionQuery | undefined {
  for (let i = caret - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === '@') {
      if (i > 0 && !/\s/.test(text[i - 1]!)) return undefined;
      return { start: i, query: text.slice(i + 1, caret) };
    }
    if (/\s/.test(ch)) return undefined;
  }
  return undefined;
}

/** Whether the picker has anything to offer: a URL being typed is the user's own. */
export function pickerWanted(q: MentionQuery | undefined): q is MentionQuery {
  return q !== undefined && !URL_START.test(q.query) && !q.query.startsWith('http');
}

export function pickerOptions(query: string, files: readonly FileResult[]): PickerOption[] {
  const q = query.toLowerCase();
  const specials = SPECIAL_MENTIONS.filter((m) => m.name.startsWith(q)).map((m): PickerOption => {
    const token = `@${m.name}`;
    return m.kind === 'url'
      ? { key: `@${m.name}`, kind: m.kind, label: token, detail: m.detail, insert: '@https://' }
      : {
          key: `@${m.name}`,
          kind: m.kind,
          label: token,
          detail: m.detail,
          insert: `${token} `,
          attachment: { kind: m.kind, token },
        };
  });
  const found = files.map((f): PickerOption => {
    const token = `@${f.path}${f.kind === 'folder' ? '/' : ''}`;
    return {
      key: `${f.kind}:${f.path}`,
      kind: f.kind,
      label: token.slice(1),
      detail: f.kind,
      insert: `${token} `,
      attachment: { kind: f.kind, target: f.path, token },
    };
  });
  return [...specials, ...found];
}

/** The files to offer: the answer to the latest search only (an older one describes what was typed
 * before); `pending` while that answer has not arrived. */
export function latestResults(
  answer: { readonly requestId: number; readonly items: readonly FileResult[] } | undefined,
  requestId: number,
): { items: readonly FileResult[]; pending: boolean } {
  if (requestId === 0 || answer?.requestId !== requestId) return { items: [], pending: true };
  return { items: answer.items, pending: false };
}

/** Replaces the typed `@query` with the picked option's text; returns the new text and caret. */
export function insertMention(
  text: string,
  q: MentionQuery,
  caret: number,
  option: PickerOption,
): { text: string; caret: number } {
  const before = text.slice(0, q.start);
  // A space already after the caret is reused rather than doubled.
  const after = text.slice(caret);
  const insert = option.insert.endsWith(' ') && /^\s/.test(after) ? option.insert.slice(0, -1) : option.insert;
  return { text: before + insert + after, caret: before.length + insert.length + (insert === option.insert ? 0 : 1) };
}

function hasToken(text: string, token: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(token, from);
    if (i < 0) return false;
    const before = i === 0 ? ' ' : text[i - 1]!;
    const after = text[i + token.length] ?? ' ';
    if (/\s/.test(before) && /[\s,.;:!?)\]]/.test(after)) return true;
    from = i + 1;
  }
}

/** The attachments to send: picked mentions whose token is still in the text, special mentions typed
 * by hand, and every @https://… address; each once, in the order they appear. */
export function attachmentsIn(text: string, picked: readonly PickedMention[]): Attachment[] {
  const found: Array<{ at: number; a: Attachment }> = [];
  const seen = new Set<string>();
  const add = (at: number, a: Attachment) => {
    const key = `${a.kind}\u0000${a.target ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ at, a });
  };
  for (const p of picked) {
    if (!hasToken(text, p.token)) continue;
    add(text.indexOf(p.token), p.target !== undefined ? { kind: p.kind, target: p.target } : { kind: p.kind });
  }
  for (const m of SPECIAL_MENTIONS) {
    if (m.kind !== 'url' && hasToken(text, `@${m.name}`)) add(text.indexOf(`@${m.name}`), { kind: m.kind });
  }
  for (const match of text.matchAll(/(?:^|\s)@(https?:\/\/[^\s]+)/gi)) {
    const url = match[1]!.replace(/[,.;:!?)\]]+$/, '');
    add(match.index! + match[0].indexOf('@'), { kind: 'url', target: url });
  }
  return found.sort((x, y) => x.at - y.at).map((f) => f.a);
}

/** `/compact` alone asks the running run to compact instead of starting a task. */
export function isCompactCommand(text: string): boolean {
  return text.trim() === '/compact';
}
