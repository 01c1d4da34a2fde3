// The webview's only channel out: typed FromWebview messages to the client, and the small UI state
// VS Code keeps for a hidden panel (the draft in the input, the open tab).
import type { FromWebview } from '../../server/src/protocol/webview.ts';
import type { PickedMention } from './state/mentions.ts';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page load.
const api: VsCodeApi = acquireVsCodeApi();

export function post(msg: FromWebview): void {
  api.postMessage(msg);
}

export interface SavedUi {
  draft?: string;
  /** The @-mentions picked into the draft, so they are still attached when it is sent later. */
  mentions?: PickedMention[];
  tab?: string;
}

export function savedUi(): SavedUi {
  const s = api.getState();
  return s && typeof s === 'object' ? (s as SavedUi) : {};
}

export function saveUi(patch: SavedUi): void {
  api.setState({ ...savedUi(), ...patch });
}
