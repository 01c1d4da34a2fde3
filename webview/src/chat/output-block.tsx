// A tool's output, folded: while it runs, the last lines (where the news is); once done, the first
// lines with "show all". Terminal escapes are stripped for display; the Events tab keeps the raw text.
import { useState } from 'preact/hooks';
import { cleanTerminalOutput } from '../text/visible-chars.ts';

const FOLDED_LINES = 12;
/** Even "show all" stops here: a multi-megabyte <pre> would freeze the panel. Export has everything. */
const MAX_SHOWN_CHARS = 200_000;

export function OutputBlock({
  text,
  tail,
  label,
  kind,
}: {
  text: string;
  tail: boolean;
  label?: string;
  kind?: 'stderr';
}) {
  const [all, setAll] = useState(false);
  if (text === '') return null;
  const clean = cleanTerminalOutput(text);
  const lines = clean.endsWith('\n') ? clean.slice(0, -1).split('\n') : clean.split('\n');
  const folded = !all && lines.length > FOLDED_LINES;
  let shown = folded ? (tail ? lines.slice(-FOLDED_LINES) : lines.slice(0, FOLDED_LINES)).join('\n') : lines.join('\n');
  const clipped = shown.length > MAX_SHOWN_CHARS;
  if (clipped) shown = shown.slice(0, MAX_SHOWN_CHARS);
  return (
    <div class={`output ${kind ?? ''}`}>
      {label && <div class="output-label">{label}</div>}
      {folded && tail && <div class="output-more">… {lines.length - FOLDED_LINES} earlier lines</div>}
      <pre class="output-text">{shown}</pre>
      {clipped && (
        <div class="output-more">
          … clipped at {MAX_SHOWN_CHARS.toLocaleString()} characters (Export Run has all of it)
        </div>
      )}
      {lines.length > FOLDED_LINES && (
        <button type="button" class="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show less' : `Show all ${lines.length} lines`}
        </button>
      )}
    </div>
  );
}
