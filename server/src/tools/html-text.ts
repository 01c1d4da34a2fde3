// Readable text from an HTML page, for the fetch tool: the words in document order, headings as
// `#`, list items as `-`, table cells split by tabs, <pre> blocks verbatim; scripts, styles, <head>
// and comments gone. One linear pass over the markup instead of regexes over the whole page: a page
// may be hostile, and patterns like `<[^>]*>` go quadratic on markup with many unclosed tags.
// Malformed or truncated markup (we may stop reading mid-page) still gives what came before.

/** Elements whose content is never text for a reader. */
const DROP = new Set(['script', 'style', 'noscript', 'svg', 'head', 'template', 'iframe', 'object', 'canvas']);
/** Elements that start a new line. */
const LINE = new Set([
  'br',
  'div',
  'ul',
  'ol',
  'dl',
  'dd',
  'dt',
  'tr',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'hr',
  'figure',
  'figcaption',
  'form',
  'fieldset',
  'legend',
  'details',
  'summary',
  'address',
  'li',
  'title',
  'body',
  'html',
  'option',
]);
/** Elements set off by a blank line. */
const PARAGRAPH = new Set([
  'p',
  'blockquote',
  'table',
  'section',
  'article',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

const CLOSERS = new Map<string, RegExp>();
const TAG_NAME = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/y;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,9}));?/g;

/** The named entities that occur in real prose and code docs; others are left as written. */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  micro: 'µ',
  para: '¶',
  sect: '§',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  rArr: '⇒',
  lArr: '⇐',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  infin: '∞',
  minus: '−',
  check: '✓',
  dagger: '†',
  prime: '′',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  sup2: '²',
  sup3: '³',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  Eacute: 'É',
  aacute: 'á',
  agrave: 'à',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ntilde: 'ñ',
  ccedil: 'ç',
  ecirc: 'ê',
  acirc: 'â',
  ocirc: 'ô',
  aring: 'å',
  oslash: 'ø',
  aelig: 'æ',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    // What a browser does with NUL, surrogates and out-of-range numbers.
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\uFFFD';
    return String.fromCodePoint(cp);
  });
}

/** The page's <title>, if it has one (it lives in <head>, which the text leaves out). */
export function htmlTitle(html: string): string | undefined {
  const m = /<title\b[^>]{0,200}>([^<]{0,500})<\/title/i.exec(html.slice(0, 100_000));
  const t = m ? decodeEntities(m[1]!).replace(/\s+/g, ' ').trim() : '';
  return t === '' ? undefined : t;
}

/** Index just past the `>` ending a tag whose attributes start at `j`; -1 if the tag never ends.
 * Quotes count only around attribute values, as in browsers; an unclosed quote runs to the end. */
function tagEnd(s: string, j: number): number {
  for (let k = j; k < s.length; k++) {
    const c = s[k];
    if (c === '>') return k + 1;
    if (c !== '=') continue;
    do k++;
    while (k < s.length && /\s/.test(s[k]!));
    const q = s[k];
    if (q === '"' || q === "'") {
      k = s.indexOf(q, k + 1);
      if (k < 0) return -1;
    } else {
      k--;
    }
  }
  return -1;
}

/** The text of an HTML document. */
export function htmlToText(html: string): string {
  const done: string[] = []; // finished segments
  let flow: string[] = []; // the current run of normal text, tidied when it ends
  let pre = 0;
  let lineStart = true; // no text since the last line break: `</li><li>` must not leave a blank line
  const flushFlow = (): void => {
    done.push(
      flow
        .join('')
        .split('\n')
        .map((l) =>
          l
            .replace(/ *\t */g, '\t')
            .replace(/ {2,}/g, ' ')
            .trim(),
        )
        .join('\n'),
    );
    flow = [];
  };
  const text = (t: string): void => {
    if (pre > 0) return void done.push(decodeEntities(t));
    const piece = decodeEntities(t.replace(/\s+/g, ' ')).replace(/\u00a0/g, ' ');
    flow.push(piece);
    if (piece.trim() !== '') lineStart = false;
  };
  const breakLine = (s: string): void => {
    if (pre > 0) return void done.push(s.replace(/[^\n]/g, ''));
    flow.push(lineStart ? s.slice(1) : s);
    lineStart = true;
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    if (lt > i) text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const e = html.indexOf('-->', lt + 4);
      if (e < 0) break;
      i = e + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      // doctype, CDATA, processing instruction
      const e = html.indexOf('>', lt);
      if (e < 0) break;
      i = e + 1;
      continue;
    }
    TAG_NAME.lastIndex = lt;
    const m = TAG_NAME.exec(html);
    if (!m) {
      // a lone `<`, as in "a < b"
      text('<');
      i = lt + 1;
      continue;
    }
    const end = tagEnd(html, TAG_NAME.lastIndex);
    if (end < 0) break; // everything after an unclosed tag is inside it
    i = end;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (!closing && DROP.has(name) && !html.startsWith('/>', end - 2)) {
      let close = CLOSERS.get(name);
      if (!close) {
        close = new RegExp(`</${name}\\s*>`, 'gi');
        CLOSERS.set(name, close);
      }
      close.lastIndex = end;
      if (!close.exec(html)) break;
      i = close.lastIndex;
      continue;
    }
    if (name === 'pre') {
      if (!closing && pre++ === 0) {
        flushFlow();
        done.push('\n\n');
      } else if (closing && pre > 0 && --pre === 0) {
        done.push('\n\n');
      }
      continue;
    }
    if (PARAGRAPH.has(name)) {
      const heading = /^h[1-6]$/.test(name) && !closing ? `${'#'.repeat(Number(name[1]))} ` : '';
      breakLine(`\n\n${heading}`);
    } else if (name === 'li' && !closing) breakLine('\n- ');
    else if (LINE.has(name)) breakLine('\n');
    else if ((name === 'td' || name === 'th') && closing && pre === 0) flow.push('\t');
  }
  flushFlow();
  return done
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
