// The Metrics tab: the focused run (turns, tool calls by tool, tokens, cost, errors, wall time, time
// per turn, approvals) with charts of tokens, cost and time per turn; then the figures across runs.
import { useMemo } from 'preact/hooks';
import { BarChart, LineChart } from './charts.tsx';
import { duration, tokens, usd } from './format.ts';
import { acrossRuns, type RunSummary } from './state/history.ts';
import { DEFAULT_COMPACT_AT } from './state/context-meter.ts';
import { toolsByCount, turnSeries, turnTimeStats } from './state/metrics.ts';
import type { RunState } from './state/types.ts';

const percent = (v: number) => `${Math.round(v * 100)}%`;

function Stat({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div class="stat" title={title}>
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
    </div>
  );
}

function ToolBars({ entries }: { entries: Array<[string, number]> }) {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <div class="tool-bars">
      {entries.map(([tool, n]) => (
        <div key={tool} class="tool-bar">
          <span class="tool-bar-name">{tool}</span>
          <span class="tool-bar-track"><span class="tool-bar-fill" style={{ '--fraction': n / max }} /></span>
          <span class="tool-bar-count">{n}</span>
        </div>
      ))}
    </div>
  );
}

function RunMetrics({ run }: { run: RunState }) {
  const { series, time, tools } = useMemo(
    () => ({ series: turnSeries(run), time: turnTimeStats(run), tools: toolsByCount(run) }),
    [run],
  );
  const t = run.totals;
  const a = run.approvals;
  const durations = series.map((s) => s.durationMs ?? 0);
  return (
    <section class="metrics-section">
      <h2>This run{run.info ? <span class="muted"> · {run.info.model}</span> : null}</h2>
      <div class="stats">
        <Stat label="turns" value={String(t.turns)} />
        <Stat label="tool calls" value={String(t.toolCalls)} />
        <Stat label="input tokens" value={tokens(t.inputTokens)} title={t.inputTokens.toLocaleString()} />
        <Stat label="output tokens" value={tokens(t.outputTokens)} title={t.outputTokens.toLocaleString()} />
        <Stat label="cached tokens" value={tokens(t.cachedTokens)} title={t.cachedTokens.toLocaleString()} />
        <Stat label="cost" value={usd(t.costUsd)} title={`$${t.costUsd}`} />
        <Stat label="errors" value={String(t.errors)} title="failed tool calls (denials included) and fatal errors" />
        <Stat label="wall time" value={duration(t.elapsedMs)} />
        <Stat label="per turn, median" value={time.count ? duration(time.medianMs) : '–'} />
        <Stat label="per turn, p95" value={time.count ? duration(time.p95Ms) : '–'} />
        <Stat label="approvals asked" value={String(a.asked)} />
        <Stat label="granted / denied" value={`${a.granted} / ${a.denied}`} />
      </div>
      {tools.length > 0 && <><h3>Tool calls by tool</h3><ToolBars entries={tools} /></>}
      {series.length > 0 && (
        <div class="charts">
          <LineChart
            title="Tokens per turn" format={tokens}
            series={[
              { name: 'input', values: series.map((s) => s.inputTokens), cls: 'c-input' },
              { name: 'output', values: series.map((s) => s.outputTokens), cls: 'c-output' },
              { name: 'cached', values: series.map((s) => s.cachedTokens), cls: 'c-cached' },
            ]}
          />
          <LineChart
            title="Cost over the run" format={usd}
            series={[{ name: 'cumulative cost', values: series.map((s) => s.cumulativeCostUsd), cls: 'c-cost' }]}
          />
          <BarChart
            title="Time per turn" name="turn" format={duration} values={durations} cls="c-time"
            refs={time.count ? [{ name: 'median', value: time.medianMs, cls: 'c-median' }, { name: 'p95', value: time.p95Ms, cls: 'c-p95' }] : []}
          />
          {run.context && (
            <BarChart
              title="Context window filled per turn" name="turn" format={percent} cls="c-window"
              values={series.map((s) => (s.contextTokens ?? 0) / run.context!.window)}
              refs={[{ name: 'compacts at', value: run.context.compactAt ?? DEFAULT_COMPACT_AT, cls: 'c-p95' }]}
            />
          )}
        </div>
      )}
    </section>
  );
}

function AcrossRuns({ runs }: { runs: readonly RunSummary[] }) {
  const all = useMemo(() => acrossRuns(runs), [runs]);
  if (runs.length === 0) return null;
  const recent = runs.slice(0, 40).reverse();
  return (
    <section class="metrics-section">
      <h2>All runs in this workspace <span class="muted">· {runs.length}</span></h2>
      <div class="stats">
        <Stat label="turns" value={String(all.turns)} />
        <Stat label="tool calls" value={String(all.toolCalls)} />
        <Stat label="input tokens" value={tokens(all.inputTokens)} />
        <Stat label="output tokens" value={tokens(all.outputTokens)} />
        <Stat label="cached tokens" value={tokens(all.cachedTokens)} />
        <Stat label="cost" value={usd(all.costUsd)} />
        <Stat label="errors" value={String(all.errors)} />
        <Stat label="wall time" value={duration(all.elapsedMs)} />
        <Stat label="turn time, median" value={all.turnTime.count ? duration(all.turnTime.medianMs) : '–'} title="over runs, of each run's mean time per turn" />
        <Stat label="turn time, p95" value={all.turnTime.count ? duration(all.turnTime.p95Ms) : '–'} title="over runs, of each run's mean time per turn" />
      </div>
      <div class="run-status-counts">
        {Object.entries(all.byStatus).map(([s, n]) => <span key={s} class={`chip status-${s}`}>{s} {n}</span>)}
      </div>
      <div class="charts">
        <BarChart title="Cost per run (latest 40, oldest first)" name="run" format={usd} values={recent.map((r) => r.costUsd)} refs={[]} cls="c-cost" />
      </div>
    </section>
  );
}

export function MetricsView({ run, runs }: { run: RunState | undefined; runs: readonly RunSummary[] }) {
  return (
    <div class="metrics">
      {run && run.status !== 'empty' ? <RunMetrics run={run} /> : <div class="empty-tab">No run in view yet.</div>}
      <AcrossRuns runs={runs} />
    </div>
  );
}
