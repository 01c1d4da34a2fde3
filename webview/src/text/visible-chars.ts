// Makes characters that hide or disguise text visible as escapes, so the command a person approves is
// the command that runs: control characters (a \r can make a terminal redraw over what came before),
// line and paragraph separators, zero-width characters, bidi overrides and isolates (which reorder
// what is displayed), tag characters, variation selectors, and spaces that are not the ASCII space
// (a shell does not split on them). Newlines stay real line breaks: multi-line scripts are legitimate.

export interface TextPart {
  readonly text: string;
  /** True for an escape standing in for a hidden character. */
  readonly hidden: boolean;
  /** What the character is, for a tooltip. */
  readonly name?: string;
}

const NAMES: Record<number, string> = {
  0x09: 'tab',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0xa0: 'no-break space',
  0xad: 'soft hyphen',
  0x061c: 'arabic letter mark',
  0x180e: 'mongolian vowel separator',
  0x200b: 'zero width space',
  0x200c: 'zero width non-joiner',
  0x200d: 'zero width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2060: 'word joiner',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero width no-break space (BOM)',
  0x3164: 'hangul filler',
};

/** Every code point this module escapes (newline excepted). */
const HIDDEN =
  /[\u0000-\u0008\u0009\u000b-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

export function escapeFor(cp: number): string {
  if (cp === 0x09) return '\\t';
  if (cp === 0x0d) return '\\r';
  if (cp <= 0xff) return `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\u{${cp.toString(16).toUpperCase()}}`;
}

export function nameOf(cp: number): string {
  const known = NAMES[cp];
  if (known) return known;
  if (cp < 0x20) return 'control character';
  if (cp >= 0x80 && cp < 0xa0) return 'C1 control character';
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag character';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation selector';
  if (cp >= 0x2000 && cp <= 0x200a) return 'unusual space';
  return 'invisible or formatting character';
}

/** Splits text into plain runs and one escaped part per hidden character. */
export function revealHidden(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(HIDDEN)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), hidden: false });
    const cp = m[0].codePointAt(0)!;
    parts.push({
      text: escapeFor(cp),
      hidden: true,
      name: `U+${cp.toString(16).toUpperCase().padStart(4, '0')} ${nameOf(cp)}`,
    });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), hidden: false });
  return parts;
}

export function countHidden(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(HIDDEN)) n++;
  return n;
}

/** Terminal output for display: colour and cursor escapes removed, a \r-redrawn line kept at its last state. */
export function cleanTerminalOutput(text: string): string {
  // eslint-disable-next-line no-control-regex
  const noEscapes = text.replace(
    /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g,
    '',
  );
  if (!noEscapes.includes('\r')) return noEscapes;
  return noEscapes
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      const cut = trimmed.lastIndexOf('\r');
      return cut < 0 ? trimmed : trimmed.slice(cut + 1);
    })
    .join('\n');
}
