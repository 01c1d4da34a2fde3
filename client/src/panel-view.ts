// The side panel's webview: its HTML, a strict Content-Security-Policy with a nonce from a
// cryptographic source, and local resources only.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { FromWebview, type ToWebview } from '../../server/src/protocol/webview.ts';

export const VIEW_ID = 'agio.panel';

export interface PanelHost {
  /** A message from the webview, already validated. */
  onMessage(msg: FromWebview): void;
  /** The view became visible (again): send it everything it needs to draw. */
  onReady(): void;
}

export class PanelView implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private readonly extensionUri: vscode.Uri;
  private readonly host: PanelHost;
  private readonly log: vscode.LogOutputChannel;

  constructor(extensionUri: vscode.Uri, host: PanelHost, log: vscode.LogOutputChannel) {
    this.extensionUri = extensionUri;
    this.host = host;
    this.log = log;
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  post(msg: ToWebview): void {
    void this.view?.webview.postMessage(msg);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [media], enableCommandUris: false };
    view.webview.html = html(view.webview, media);
    view.webview.onDidReceiveMessage((raw: unknown) => {
      const parsed = FromWebview.safeParse(raw);
      if (!parsed.success) {
        this.log.warn(`ignored a malformed panel message: ${JSON.stringify(raw).slice(0, 200)}`);
        return;
      }
      if (parsed.data.type === 'ready') this.host.onReady();
      else this.host.onMessage(parsed.data);
    });
    view.onDidDispose(() => (this.view = undefined));
  }
}

function html(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(media, file)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('main.css')}">
<title>Agio</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${uri('main.js')}"></script>
</body>
</html>`;
}
