// One line that answers "what is Agio doing": the server, the sandbox (said plainly when there is
// none), the run's phase and its cost so far.
import { usd } from './format.ts';
import { contextMeter, meterTooltip } from './state/context-meter.ts';
import { runPhase } from './state/metrics.ts';
import type { PanelState } from './state/panel.ts';
import type { RunState } from './state/types.ts';
import { post } from './vscode-api.ts';

const SERVER_TEXT: Record<PanelState['server']['state'], string> = {
  stopped: 'server stopped', starting: 'server starting', running: 'server ready',
  crashed: 'server crashed, restarting', crash_loop: 'server keeps crashing',
};

export function StatusLine({ panel, run }: { panel: PanelState; run: RunState | undefined }) {
  const server = panel.server.state;
  const sandbox = run?.info?.sandbox ?? panel.config?.sandbox ?? 'unknown';
  const trusted = run?.info?.trusted ?? panel.config?.trusted;
  const phase = run ? runPhase(run) : { phase: 'empty' as const };
  let activity = 'idle';
  let activityClass = '';
  if (panel.starting) activity = 'starting a run…';
  else if (phase.phase === 'running') activity = `running · turn ${phase.turn}`;
  else if (phase.phase === 'waiting') {
    activity = `waiting for approval · turn ${phase.turn}`;
    activityClass = 'attention';
  } else if (phase.phase === 'ended') activity = phase.status;
  const bad = server === 'crashed' || server === 'crash_loop' || server === 'stopped';
  return (
    <div class="status-line" role="status">
      <span class={`status-item ${bad ? 'error' : ''}`} title={panel.server.message}>
        <i class={`codicon codicon-${server === 'running' ? 'pass' : server === 'starting' ? 'loading codicon-modifier-spin' : 'error'}`} aria-hidden="true" />
        {SERVER_TEXT[server]}
      </span>
      {bad && (
        <button class="link-button" onClick={() => post({ type: 'restartServer' })}>Restart server</button>
      )}
      <span class={`status-item ${sandbox === 'none' ? 'warning' : ''}`} title="How commands are confined">
        <i class={`codicon codicon-${sandbox === 'none' ? 'unlock' : 'lock'}`} aria-hidden="true" />
        {sandbox === 'none' ? 'no sandbox' : sandbox === 'unknown' ? 'sandbox unknown' : `sandbox: ${sandbox}`}
      </span>
      {trusted === false && (
        <span class="status-item warning" title="An untrusted workspace runs read tools only">
          <i class="codicon codicon-workspace-untrusted" aria-hidden="true" /> restricted
        </span>
      )}
      <span class={`status-item ${activityClass}`}>
        <i class={`codicon codicon-${phase.phase === 'running' ? 'sync codicon-modifier-spin' : phase.phase === 'waiting' ? 'bell-dot' : 'circle-large-outline'}`} aria-hidden="true" />
        {activity}
      </span>
      <Meter run={run} />
      {run && run.status !== 'empty' && <span class="status-item cost" title="Cost of this run">{usd(run.totals.costUsd)}</span>}
    </div>
  );
}

/** How full the model's window is: a small bar and "42% of 128k", in the warning colour from the
 * share at which the conversation gets compacted. */
function Meter({ run }: { run: RunState | undefined }) {
  const m = contextMeter(run);
  if (!m) return null;
  return (
    <span class={`status-item context-meter ${m.warn ? 'warning' : ''}`} title={meterTooltip(m)} aria-label={`Context window: ${m.text}`}>
      <span class="meter-track" aria-hidden="true"><span class="meter-fill" style={{ width: `${Math.round(m.fraction * 100)}%` }} /></span>
      <span class="meter-text">{m.text}</span>
    </span>
  );
}
