// How full the model's window is, as the status line's meter shows it. Derived from the folded run
// (run_start.context for the window, the latest context_usage or reported usage for the fill), so a
// replayed run shows the same figure a live one did.
import { tokens } from '../format.ts';
import type { RunState } from './types.ts';

/** The server compacts at 0.8 of the window unless the settings say otherwise. */
export const DEFAULT_COMPACT_AT = 0.8;

export interface ContextMeter {
  readonly tokens: number;
  readonly window: number;
  /** tokens / window, capped at 1 for the bar (the text keeps the real percentage). */
  readonly fraction: number;
  readonly percent: number;
  readonly estimated: boolean;
  readonly compactAt: number;
  /** At or past the share where the conversation gets compacted. */
  readonly warn: boolean;
  /** e.g. "~42% of 128k". */
  readonly text: string;
}

/** Undefined until the window is known and something has been measured. */
export function contextMeter(run: RunState | undefined): ContextMeter | undefined {
  const c = run?.context;
  if (!c || c.tokens === undefined) return undefined;
  const ratio = c.tokens / c.window;
  const compactAt = c.compactAt ?? DEFAULT_COMPACT_AT;
  const estimated = c.estimated === true;
  const percent = Math.round(ratio * 100);
  return {
    tokens: c.tokens,
    window: c.window,
    fraction: Math.min(1, ratio),
    percent,
    estimated,
    compactAt,
    warn: ratio >= compactAt,
    text: `${estimated ? '~' : ''}${percent}% of ${tokens(c.window)}`,
  };
}

/** The meter's tooltip: what the figure is and what happens at the threshold. */
export function meterTooltip(m: ContextMeter): string {
  const how = m.estimated ? 'estimated before the next model call' : 'as the provider reported for the last call';
  return (
    `The conversation fills ${m.tokens.toLocaleString('en-US')} of the model's ${m.window.toLocaleString('en-US')}-token window (${how}). ` +
    `At ${Math.round(m.compactAt * 100)}% Agio summarizes the older part to make room; type /compact to do it now.`
  );
}
