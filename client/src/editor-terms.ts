// The editor's words for what the server says in the terminal's: pure, so they are unit-tested without
// VS Code (run-errors.ts shows them). When a run needs a key is the protocol's rule (local-endpoint.ts).

/** The text of a failed request, without vscode-jsonrpc's "Request agio/run/start failed with message:". */
export function requestMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw.replace(/^Request \S+ failed with message:\s*/, '');
}

/** Words of the CLI that mean something else in the editor, and the editor's own. */
const CLI_TO_EDITOR: ReadonlyArray<[RegExp, string]> = [
  [
    /set (OPENAI|ANTHROPIC)_API_KEY(, or point --base-url at a local OpenAI-compatible server)?/,
    'run Agio: Set API Key, or Agio: Select Provider and Model for a local endpoint',
  ],
  [/--base-url/g, 'the agio.baseUrl setting'],
  [/--provider \(or AGIO_PROVIDER\)/g, 'the agio.provider setting'],
  [/--approval/g, 'the agio.approval setting'],
  [/--cwd/g, 'the open folder'],
];

export function inEditorTerms(message: string): string {
  return CLI_TO_EDITOR.reduce((text, [cli, editor]) => text.replace(cli, editor), message);
}
