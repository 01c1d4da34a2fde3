// Terminal output as text a model can read: escape sequences (colours, cursor moves, shell-integration
// marks) removed, and a line redrawn with carriage returns (progress bars) kept in its last state.
// Pure, so it is unit-tested.

const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OTHER_ESC = /\x1b[@-Z\\-_]/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function plainTerminalText(raw: string): string {
  const text = raw.replace(OSC, '').replace(CSI, '').replace(OTHER_ESC, '').replace(/\r\n/g, '\n');
  return text
    .split('\n')
    .map((line) => {
      const parts = line.split('\r');
      // "50%\r100%" was drawn over itself: what is on screen is the last non-empty state.
      for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') return parts[i]!.replace(CONTROL, '');
      return '';
    })
    .join('\n');
}

/** Keeps the end of a growing text within `max` characters, cut at a line start when one is near. */
export function keepTail(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  let tail = text.slice(text.length - max);
  const nl = tail.indexOf('\n');
  if (nl >= 0 && nl < 200) tail = tail.slice(nl + 1);
  return { text: tail, cut: true };
}
