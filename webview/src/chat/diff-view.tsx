// A unified diff coloured like the editor's diff view, with line numbers, hidden characters revealed
// (a bidi override inside an edit is exactly what a reviewer must see) and long diffs folded.
import { useState } from 'preact/hooks';
import { diffStats, parseUnifiedDiff } from '../text/unified-diff.ts';
import { VisibleText } from './visible-text.tsx';

const FOLDED_LINES = 80;

export function DiffView({ diff }: { diff: string }) {
  const [all, setAll] = useState(false);
  // The "=====" rule and "Index:" line say nothing the ---/+++ header does not.
  const lines = parseUnifiedDiff(diff).filter((l) => !(l.kind === 'meta' && /^(=+|Index: .*)$/.test(l.text)));
  const { added, removed } = diffStats(lines);
  const shown = all ? lines : lines.slice(0, FOLDED_LINES);
  return (
    <div class="diff" role="figure" aria-label={`Diff: ${added} lines added, ${removed} removed`}>
      <div class="diff-stats">
        <span class="diff-added">+{added}</span> <span class="diff-removed">−{removed}</span>
      </div>
      <div class="diff-lines">
        {shown.map((l, i) =>
          l.kind === 'meta' || l.kind === 'hunk' ? (
            <div key={i} class={`diff-line diff-${l.kind}`}>
              <span class="diff-text">{l.text}</span>
            </div>
          ) : (
            <div key={i} class={`diff-line diff-${l.kind}`}>
              <span class="diff-no">{l.oldNo ?? ''}</span>
              <span class="diff-no">{l.newNo ?? ''}</span>
              <span class="diff-sign">{l.kind === 'add' ? '+' : l.kind === 'del' ? '−' : ' '}</span>
              <span class="diff-text">
                <VisibleText text={l.text} />
              </span>
            </div>
          ),
        )}
      </div>
      {lines.length > FOLDED_LINES && (
        <button type="button" class="link-button" onClick={() => setAll(!all)}>
          {all ? 'Show less' : `Show all ${lines.length} lines`}
        </button>
      )}
    </div>
  );
}
