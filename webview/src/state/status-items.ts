// What the status line says, item by item, apart from how it is drawn. The line must stay one row
// in a 240 px sidebar, so each item says how it may shrink: `collapsible` items keep only their icon
// when the panel is narrow (their text moves to the tooltip), `detail` is dropped first, and the
// activity truncates with an ellipsis. A server that is down never collapses; "no sandbox" and
// Restricted Mode keep their warning-coloured icon (the second is also said in full in the chat's
// banner), so what the user must act on now ("approval needed", the cost) keeps its words.
import { costFigure } from './cost.ts';
import { contextMeter, meterTooltip } from './context-meter.ts';
import { runPhase } from './metrics.ts';
import type { PanelState } from './panel.ts';
import type { RunState } from './types.ts';

export type StatusTone = '' | 'warning' | 'error' | 'attention';

export interface StatusItem {
  readonly key: 'server' | 'sandbox' | 'restricted' | 'activity' | 'meter' | 'cost';
  /** Codicon name(s), e.g. 'pass' or 'loading codicon-modifier-spin'. */
  readonly icon?: string;
  readonly text: string;
  /** Said after the text when there is room (" · turn 4", " of 128k"). */
  readonly detail?: string;
  /** The whole of it: shown on hover, and the accessible name when only the icon is drawn. */
  readonly title: string;
  readonly tone: StatusTone;
  /** Icon only when the panel is narrow: nothing is wrong, so the words are not needed at a glance. */
  readonly collapsible: boolean;
  /** The context meter's bar, 0–1. */
  readonly fraction?: number;
}

const SERVER_TEXT: Record<PanelState['server']['state'], string> = {
  stopped: 'server stopped',
  starting: 'server starting',
  running: 'server ready',
  crashed: 'server crashed, restarting',
  crash_loop: 'server keeps crashing',
};

export function serverIsDown(panel: PanelState): boolean {
  const s = panel.server.state;
  return s === 'crashed' || s === 'crash_loop' || s === 'stopped';
}

export function statusItems(panel: PanelState, run: RunState | undefined): StatusItem[] {
  const items: StatusItem[] = [];
  const server = panel.server.state;
  const down = serverIsDown(panel);
  items.push({
    key: 'server',
    icon: server === 'running' ? 'pass' : server === 'starting' ? 'loading codicon-modifier-spin' : 'error',
    text: SERVER_TEXT[server],
    title: panel.server.message ? `${SERVER_TEXT[server]}: ${panel.server.message}` : SERVER_TEXT[server],
    tone: down ? 'error' : '',
    collapsible: !down,
  });
  items.push(sandboxItem(panel, run));
  const trusted = run?.info?.trusted ?? panel.config?.trusted;
  if (trusted === false) {
    items.push({
      key: 'restricted',
      icon: 'workspace-untrusted',
      text: 'restricted',
      title: 'Restricted Mode: an untrusted folder runs read tools only',
      tone: 'warning',
      collapsible: true,
    });
  }
  items.push(activity(panel, run));
  const m = contextMeter(run);
  if (m) {
    const [pct, ...rest] = m.text.split(' ');
    items.push({
      key: 'meter',
      text: pct!,
      detail: ` ${rest.join(' ')}`,
      title: `Context window: ${m.text}. ${meterTooltip(m)}`,
      tone: m.warn ? 'warning' : '',
      collapsible: false,
      fraction: m.fraction,
    });
  }
  if (run && run.status !== 'empty') {
    const c = costFigure(run.totals.costUsd, run.totals.unpricedCalls);
    items.push({ key: 'cost', text: c.text, title: `Cost of this run: ${c.title}`, tone: '', collapsible: false });
  }
  return items;
}

/** How commands are confined. Full-auto with no sandbox says which way the user chose: asking before
 * the workspace's own code runs, or (opted in) running it unasked, which never collapses to an icon. */
function sandboxItem(panel: PanelState, run: RunState | undefined): StatusItem {
  const sandbox = run?.info?.sandbox ?? panel.config?.sandbox ?? 'unknown';
  const approval = run?.info?.approval ?? panel.config?.approval;
  const optedIn = run?.info ? run.info.unsandboxedFullAuto === true : panel.config?.unsandboxedFullAuto === true;
  if (sandbox === 'none' && approval === 'full-auto' && optedIn) {
    return {
      key: 'sandbox',
      icon: 'unlock',
      // "full-auto" is the detail, dropped in a narrow panel; "unsandboxed" always stays in words.
      text: 'unsandboxed',
      detail: ' full-auto',
      title:
        "unsandboxed full-auto: no sandbox, and you opted in (agio.allowUnsandboxedFullAuto) to full-auto running the workspace's own code (make, npm test, scripts) unasked; that code can do anything you can",
      tone: 'warning',
      collapsible: false,
    };
  }
  const text = sandbox === 'none' ? 'no sandbox' : sandbox === 'unknown' ? 'sandbox unknown' : `sandbox: ${sandbox}`;
  const fullAutoNote =
    sandbox === 'none' && approval === 'full-auto'
      ? "; full-auto asks before running the workspace's own code (make, npm test, scripts)"
      : '';
  return {
    key: 'sandbox',
    icon: sandbox === 'none' ? 'unlock' : 'lock',
    text,
    title: `${text}: how commands are confined${fullAutoNote}`,
    tone: sandbox === 'none' ? 'warning' : '',
    collapsible: true,
  };
}

function activity(panel: PanelState, run: RunState | undefined): StatusItem {
  const phase = run ? runPhase(run) : { phase: 'empty' as const };
  const base = { key: 'activity' as const, collapsible: false };
  if (panel.starting)
    return { ...base, icon: 'sync codicon-modifier-spin', text: 'starting a run…', title: 'starting a run…', tone: '' };
  if (phase.phase === 'running') {
    return {
      ...base,
      icon: 'sync codicon-modifier-spin',
      text: 'running',
      detail: ` · turn ${phase.turn}`,
      title: `running · turn ${phase.turn}`,
      tone: '',
    };
  }
  if (phase.phase === 'waiting') {
    const title = `approval needed · turn ${phase.turn}: the run waits for your answer`;
    return {
      ...base,
      icon: 'bell-dot',
      text: 'approval needed',
      detail: ` · turn ${phase.turn}`,
      title,
      tone: 'attention',
    };
  }
  const text = phase.phase === 'ended' ? phase.status : 'idle';
  return { ...base, icon: 'circle-large-outline', text, title: text, tone: '' };
}
