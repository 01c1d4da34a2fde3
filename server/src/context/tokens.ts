// Token counts for deciding before a request is sent. The provider's reported figures are the truth
// and are used whenever there is one; this is only the estimate of what was added since.
//
// The tokenizer (gpt-tokenizer, o200k) takes ~0.5 s to load, so it is loaded only when the UTF-8 byte
// count — a safe upper bound on tokens — says the conversation could be near the threshold. Short runs
// never pay for it. For non-OpenAI models o200k is an approximation; callers add a margin.

type CountFn = (text: string) => number;
let countTokens: CountFn | undefined;
let loading: Promise<CountFn> | undefined;

export function loadTokenizer(): Promise<CountFn> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => (countTokens = m.countTokens));
  return loading;
}

export function tokenizerLoaded(): boolean {
  return countTokens !== undefined;
}

/** A cheap figure for display before the tokenizer is loaded (~4 characters per token). */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Never less than the real count for any byte-level BPE: every token covers at least one byte. */
export function upperBoundTokens(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Tokenizer count; the tokenizer must be loaded (await loadTokenizer()). */
export function exactTokens(text: string): number {
  if (!countTokens) throw new Error('tokenizer not loaded');
  return countTokens(text);
}
