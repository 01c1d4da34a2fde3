// The markdown renderer (markdown-it, DOMPurify, highlight.js: most of the bundle's start-up work) is
// loaded after the panel's first paint, through a dynamic import that esbuild turns into a lazily
// initialised module inside the same single script. Until it is ready, messages show as plain text.
type MarkdownModule = typeof import('./markdown.ts');

let loaded: MarkdownModule | undefined;
let loading: Promise<void> | undefined;

export function markdown(): MarkdownModule | undefined {
  return loaded;
}

export function loadMarkdown(onReady: () => void): Promise<void> {
  loading ??= import('./markdown.ts').then((m) => {
    loaded = m;
    // Compile every stage now, while idle, so the first real message does not pay for it.
    m.warmUpMarkdown();
    onReady();
  });
  return loading;
}
