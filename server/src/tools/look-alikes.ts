// Typographic look-alikes: characters a model (or a word processor, or a copy from a web page) puts
// in place of plain ASCII ones, or the reverse. Folding both the file and old_text lets edit find
// text that differs only by them. Every fold is one UTF-16 unit to one, so an offset in the folded
// text is the same offset in the original: the span replaced is the file's own characters.

const FOLDS: Record<string, string> = {
  // Quotes: ‘ ’ ‚ ‛ ′ → '   “ ” „ ‟ ″ « » → "
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  // Dashes and minus: ‐ ‑ ‒ – — ― − → -
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  // Spaces: no-break, the en/em/thin… family, narrow no-break, medium mathematical, ideographic.
  '\u00A0': ' ',
  '\u1680': ' ',
  '\u202F': ' ',
  '\u205F': ' ',
  '\u3000': ' ',
};
for (let c = 0x2000; c <= 0x200a; c++) FOLDS[String.fromCharCode(c)] = ' ';

const LOOK_ALIKE =
  /[\u2018\u2019\u201A\u201B\u2032\u201C-\u201F\u2033\u00AB\u00BB\u2010-\u2015\u2212\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\uFF01-\uFF5E]/g;

/** `s` with every look-alike as its plain character; full-width ASCII (！ to ～) as ASCII. Same length. */
export function foldLookAlikes(s: string): string {
  return s.replace(LOOK_ALIKE, (c) => {
    const code = c.charCodeAt(0);
    return code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : FOLDS[c]!;
  });
}
