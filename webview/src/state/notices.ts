// Server notices said in the editor's terms. The server words its notices for the CLI (flags and
// prices.json); in VS Code the same facts are set in the agio.* settings, which the notice's
// "Open Settings" button opens.

/** The server says "does not count its cost" only when the model has no price either. */
const UNPRICED = /does not count its cost/;

/** An unknown model: what Agio assumes, in one or two lines; where to set it is the button's job. */
export function unknownModelText(model: string, window: number | undefined, serverMessage: string): string {
  const unpriced = UNPRICED.test(serverMessage);
  const assumed = window !== undefined ? `${window.toLocaleString('en-US')} tokens` : 'a small window';
  return unpriced
    ? `Agio doesn't know model ${model}'s context window or prices, so it assumes ${assumed} and does not count cost.`
    : `Agio doesn't know model ${model}'s context window, so it assumes ${assumed}.`;
}

/** A run's error in the editor's terms: the server names environment variables and flags, which mean
 * nothing in VS Code, where the key is in secret storage and the endpoint is a setting. */
const CLI_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/Check (OPENAI|ANTHROPIC)_API_KEY\./, 'Set the right key with Agio: Set API Key.'],
  [/--base-url/g, 'the agio.baseUrl setting'],
  [/--context-window/g, 'the agio.contextWindow setting'],
  [
    /--max-output N, or "maxOutput" for the model in prices\.json/g,
    '"maxOutput" for the model in the agio.models setting',
  ],
  [/--max-tokens/g, 'the agio.maxTokens setting'],
  [/--max-cost/g, 'the agio.maxCostUsd setting'],
];

export function errorText(message: string): string {
  return CLI_WORDS.reduce((text, [cli, editor]) => text.replace(cli, editor), message);
}

/** The error is about the key: the notice offers to set it. */
export function isKeyError(kind: string): boolean {
  return kind === 'auth';
}
