// Model output → safe HTML. The model may be steered by anything it read, so its markdown is treated
// as hostile: markdown-it with raw HTML off, images shown as their alt text (never fetched), links kept
// only for http/https (no command:, vscode:, file:, javascript: …), then DOMPurify with a short allow
// list as a second fence. Code blocks are coloured by highlight.js with a handful of languages.
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

// Set up on first use, not at load: the panel's first paint should not wait for parsers it may not need.
let registered = false;
function registerLanguages(): void {
  if (registered) return;
  registered = true;
  for (const [name, lang] of Object.entries({
    bash,
    css,
    diff,
    go,
    javascript,
    json,
    python,
    rust,
    typescript,
    xml,
    yaml,
  })) {
    hljs.registerLanguage(name, lang);
  }
  hljs.registerAliases(['sh', 'shell', 'zsh', 'console'], { languageName: 'bash' });
  hljs.registerAliases(['ts', 'tsx', 'mts', 'cts'], { languageName: 'typescript' });
  hljs.registerAliases(['js', 'jsx', 'mjs', 'cjs'], { languageName: 'javascript' });
  hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
  hljs.registerAliases(['py'], { languageName: 'python' });
  hljs.registerAliases(['yml'], { languageName: 'yaml' });
  hljs.registerAliases(['patch'], { languageName: 'diff' });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Highlighting is the costly part of re-rendering a streaming message: unchanged blocks are reused. */
const highlighted = new Map<string, string>();
const HIGHLIGHT_CACHE = 200;
const MAX_HIGHLIGHT_CHARS = 50_000;

function highlight(code: string, lang: string): string {
  registerLanguages();
  const language = lang.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!language || !hljs.getLanguage(language) || code.length > MAX_HIGHLIGHT_CHARS) return '';
  const key = `${language}\u0000${code}`;
  let html = highlighted.get(key);
  if (html === undefined) {
    html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
    if (highlighted.size >= HIGHLIGHT_CACHE) highlighted.delete(highlighted.keys().next().value!);
    highlighted.set(key, html);
  }
  return html;
}

let md: ReturnType<typeof MarkdownIt> | undefined;
function markdownIt(): ReturnType<typeof MarkdownIt> {
  if (md) return md;
  md = new MarkdownIt({ html: false, linkify: true, typographer: false, highlight });
  // Remote images could track the user or leak data in their URL: show what they were, not what they load.
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const alt = self.renderInlineAsText(tokens[idx]!.children ?? [], options, env);
    return `<span class="md-image" title="image not loaded">${escapeHtml(alt || 'image')}</span>`;
  };
  return md;
}

export function isSafeHref(href: string): boolean {
  return /^https?:\/\//i.test(href.trim());
}

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href') ?? '';
  if (isSafeHref(href)) {
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('title', href);
  } else {
    // A link that is not http(s) stays readable text, and inert.
    node.removeAttribute('href');
  }
});

const PURIFY = {
  ALLOWED_TAGS: [
    'a',
    'p',
    'br',
    'hr',
    'em',
    'strong',
    's',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'span',
  ],
  // No `style`: the CSP forbids inline styles (markdown-it puts table alignment there).
  ALLOWED_ATTR: ['href', 'title', 'class', 'start', 'rel'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

export function renderMarkdown(text: string): string {
  return DOMPurify.sanitize(markdownIt().render(text), PURIFY);
}

/** Runs every stage once (parser, linkify, highlighter, sanitizer) so their code is compiled. */
export function warmUpMarkdown(): void {
  renderMarkdown(
    'Warm **up** `code` https://example.com\n\n```ts\nconst x: number = 1;\n```\n\n- a\n- [b](https://x.dev)',
  );
  highlighted.clear();
}

/** A whole block of code (tool output, a command) coloured when the language is known. */
export function highlightCode(code: string, lang: string): string {
  return highlight(code, lang) || escapeHtml(code);
}

export function languageForPath(path: string): string {
  registerLanguages();
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  return hljs.getLanguage(ext) ? ext : '';
}
