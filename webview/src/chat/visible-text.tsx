// Text with its hidden characters shown as marked escapes (see text/visible-chars.ts).
import { revealHidden } from '../text/visible-chars.ts';

export function VisibleText({ text }: { text: string }) {
  return (
    <>
      {revealHidden(text).map((p, i) =>
        p.hidden ? (
          <span key={i} class="hidden-char" title={p.name}>
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  );
}
