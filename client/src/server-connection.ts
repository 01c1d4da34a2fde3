// Starts and supervises the agent server with vscode-languageclient: started on first use, restarted
// after a crash, and stopped for good after repeated crashes (a crash loop), telling the user.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
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

  constructor(
    extensionPath: string,
    output: vscode.LogOutputChannel,
    wire: (client: LanguageClient) => void,
    storePath: () => string | undefined,
  ) {
    this.extensionPath = extensionPath;
    this.output = output;
    this.wire = wire;
    this.storePath = storePath;
  }

  /** After a crash loop: no silent restarts until the user asks for one (Restart Server). */
  private gaveUp = false;

  /** The running client, starting the server on first use (never at activation). */
  async get(): Promise<LanguageClient> {
    const client = this.client;
    if (client?.isRunning()) return client;
    if (this.gaveUp) throw new Error('the Agio server crashed repeatedly and was stopped; run Agio: Restart Server');
    // The client is restarting a crashed server itself: wait for it rather than start a second one.
    if (client && client.state === State.Starting) return this.whenRunning(client);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private whenRunning(client: LanguageClient): Promise<LanguageClient> {
    return new Promise((resolve, reject) => {
      const sub = client.onDidChangeState((e) => {
        if (e.newState === State.Running) resolve(client);
        else if (e.newState === State.Stopped)
          reject(new Error('the Agio server stopped while starting; see the "Agio" output channel'));
        else return;
        sub.dispose();
      });
    });
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
      module,
      args,
      transport: TransportKind.stdio,
      options: { env: { ...serverEnvironment(process.env), NODE_NO_WARNINGS: '1' }, execArgv: ['--liftoff-only'] },
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
    // The client restarts the server itself after a crash: follow its state, not just our start().
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) this.onStateEmitter.fire({ state: 'running' });
      else if (e.newState === State.Starting) this.onStateEmitter.fire({ state: 'starting' });
    });
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
      this.gaveUp = true;
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
    this.gaveUp = false;
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

/** The server's environment: the editor's, without provider keys. The key the user gave Agio travels
 * in the run request (secret storage → JSON-RPC); one that happens to be in the editor's environment
 * must not sit in the server's /proc/<pid>/environ, where every command it runs could read it. */
export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENAI_API_KEY: _o, ANTHROPIC_API_KEY: _a, AGIO_API_KEY: _g, ...rest } = env;
  return rest;
}
