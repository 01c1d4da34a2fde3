// Starts and supervises the agent server with vscode-languageclient: started on first use, restarted
// after a crash, and stopped for good after repeated crashes (a crash loop), telling the user.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, TransportKind,
  type CloseHandlerResult, type ErrorHandlerResult, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';

export type ServerState = 'stopped' | 'starting' | 'running' | 'crashed' | 'crash_loop';

const CRASH_WINDOW_MS = 3 * 60_000;
const MAX_CRASHES = 3;

export class ServerConnection implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private crashes: number[] = [];
  private readonly output: vscode.LogOutputChannel;
  private readonly extensionPath: string;
  private readonly onStateEmitter = new vscode.EventEmitter<{ state: ServerState; message?: string }>();
  readonly onState = this.onStateEmitter.event;
  /** Called with each fresh client, to register the server → client handlers. */
  private readonly wire: (client: LanguageClient) => void;
  private readonly storePath: () => string | undefined;

  constructor(extensionPath: string, output: vscode.LogOutputChannel, wire: (client: LanguageClient) => void, storePath: () => string | undefined) {
    this.extensionPath = extensionPath;
    this.output = output;
    this.wire = wire;
    this.storePath = storePath;
  }

  /** The running client, starting the server on first use (never at activation). */
  async get(): Promise<LanguageClient> {
    if (this.client?.isRunning()) return this.client;
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<LanguageClient> {
    this.onStateEmitter.fire({ state: 'starting' });
    const store = this.storePath();
    // Started as a node module: the extension host's own runtime runs it (Node in code-server,
    // Electron-as-Node on desktop), whose N-API matches better-sqlite3's prebuilt binary.
    const module = path.join(this.extensionPath, 'dist', 'cli.js');
    const args = ['serve', '--stdio', ...(store ? ['--store', store] : [])];
    // --liftoff-only: see bin/agio.mjs (the shell parser's wasm would otherwise cost ~500 MB of RSS).
    const serverOptions: ServerOptions = {
      module, args, transport: TransportKind.stdio,
      options: { env: { ...process.env, NODE_NO_WARNINGS: '1' }, execArgv: ['--liftoff-only'] },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file' }],
      outputChannel: this.output,
      initializationOptions: { editorEdits: true },
      errorHandler: {
        error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
        closed: (): CloseHandlerResult => this.onClosed(),
      },
    };
    const client = new LanguageClient('agio', 'Agio agent server', serverOptions, clientOptions);
    this.wire(client);
    await client.start();
    this.client = client;
    this.onStateEmitter.fire({ state: 'running' });
    return client;
  }

  private onClosed(): CloseHandlerResult {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    this.output.error(`the agent server stopped unexpectedly (${this.crashes.length} in the last 3 minutes)`);
    if (this.crashes.length >= MAX_CRASHES) {
      const message = `The Agio server crashed ${this.crashes.length} times in 3 minutes and was not restarted. Its log is in the "Agio" output channel.`;
      this.onStateEmitter.fire({ state: 'crash_loop', message });
      void vscode.window.showErrorMessage(message, 'Restart Server', 'Show Log').then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('agio.restartServer');
        if (choice === 'Show Log') this.output.show();
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.onStateEmitter.fire({ state: 'crashed', message: 'The Agio server crashed and is being restarted.' });
    return { action: CloseAction.Restart, handled: true };
  }

  async restart(): Promise<void> {
    this.crashes = [];
    const old = this.client;
    this.client = undefined;
    if (old) await old.stop().catch(() => undefined);
    await this.get();
  }

  dispose(): void {
    void this.client?.stop();
    this.onStateEmitter.dispose();
  }
}
