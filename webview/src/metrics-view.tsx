// The Metrics tab: the focused run (turns, tool calls by tool, tokens, cost, errors, wall time, time
// per turn, approvals) with charts of tokens, cost and time per turn; then the figures across runs.
import { useMemo } from 'preact/hooks';
import { BarChart, LineChart } from './charts.tsx';
import { duration, tokens, usd } from './format.ts';
import { acrossRuns, type RunSummary } from './state/history.ts';
import { DEFAULT_COMPACT_AT } from './state/context-meter.ts';
import { costFigure, PRICES_SETTING } from './state/cost.ts';
import { toolsByCount, turnSeries, turnTimeStats, waitAndToolTime, workingMs } from './state/metrics.ts';
import type { RunState } from './state/types.ts';
import { post } from './vscode-api.ts';

const percent = (v: number) => `${Math.round(v * 100)}%`;

/** `wrap`: a value that may take two lines rather than be cut ("$0.011 + unknown" in a narrow tile). */
function Stat({ label, value, title, wrap }: { label: string; value: string; title?: string; wrap?: boolean }) {
  return (
    <div class="stat" title={title}>
      <div class={`stat-value ${wrap ? 'wrap' : ''}`}>{value}</div>
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
          <span class="tool-bar-track">
            <span class="tool-bar-fill" style={{ '--fraction': n / max }} />
          </span>
          <span class="tool-bar-count">{n}</span>
        </div>
      ))}
    </div>
  );
}

/** In place of a cost chart that would draw $0 over a flat line: what is unknown and where to set it. */
export function CostUnknown({ model }: { model: string | undefined }) {
  return (
    <div class="cost-unknown" role="note">
      <i class="codicon codicon-info" aria-hidden="true" />
      <div>
        <p>
          Cost unknown: Agio knows no price for {model ? <code>{model}</code> : 'this model'}, so its calls were not
          counted. Set its prices (USD per million input and output tokens) in the <code>{PRICES_SETTING}</code>{' '}
          setting.
        </p>
        <button
          type="button"
          class="button secondary"
          onClick={() => post({ type: 'openSettings', query: PRICES_SETTING })}
        >
          <i class="codicon codicon-settings-gear" aria-hidden="true" /> Open Settings
        </button>
      </div>
    </div>
  );
}

function RunMetrics({ run }: { run: RunState }) {
  const { series, time, tools, spent } = useMemo(
    () => ({
      series: turnSeries(run),
      time: turnTimeStats(run),
      tools: toolsByCount(run),
      spent: waitAndToolTime(run),
    }),
    [run],
  );
  const t = run.totals;
  const a = run.approvals;
  const cost = costFigure(t.costUsd, t.unpricedCalls);
  const durations = series.map((s) => workingMs(s) ?? 0);
  const withoutWaits = 'wall time of the turn, less what its approvals waited for you';
  return (
    <section class="metrics-section">
      <h2>This run{run.info ? <span class="muted"> · {run.info.model}</span> : null}</h2>
      <div class="stats">
        <Stat label="turns" value={String(t.turns)} />
        <Stat label="tool calls" value={String(t.toolCalls)} />
        <Stat label="input tokens" value={tokens(t.inputTokens)} title={t.inputTokens.toLocaleString()} />
        <Stat label="output tokens" value={tokens(t.outputTokens)} title={t.outputTokens.toLocaleString()} />
        <Stat label="cached tokens" value={tokens(t.cachedTokens)} title={t.cachedTokens.toLocaleString()} />
        <Stat label="cost" value={cost.text} title={cost.title} wrap />
        <Stat label="errors" value={String(t.errors)} title="failed tool calls (denials included) and fatal errors" />
        <Stat label="wall time" value={duration(t.elapsedMs)} />
        <Stat label="per turn, median" value={time.count ? duration(time.medianMs) : '–'} title={withoutWaits} />
        <Stat label="per turn, p95" value={time.count ? duration(time.p95Ms) : '–'} title={withoutWaits} />
        <Stat
          label="tool time"
          value={duration(spent.toolMs)}
          title="the tool calls' own time, without approval waits"
        />
        <Stat
          label="approval wait"
          value={duration(spent.approvalWaitMs)}
          title="how long questions waited for your answer"
        />
        <Stat label="approvals asked" value={String(a.asked)} />
        <Stat label="granted / denied" value={`${a.granted} / ${a.denied}`} />
      </div>
      {tools.length > 0 && (
        <>
          <h3>Tool calls by tool</h3>
          <ToolBars entries={tools} />
        </>
      )}
      {series.length > 0 && (
        <div class="charts">
          <LineChart
            title="Tokens per turn"
            format={tokens}
            series={[
              { name: 'input', values: series.map((s) => s.inputTokens), cls: 'c-input' },
              { name: 'output', values: series.map((s) => s.outputTokens), cls: 'c-output' },
              { name: 'cached', values: series.map((s) => s.cachedTokens), cls: 'c-cached' },
            ]}
          />
          {cost.unknown === 'all' ? (
            <CostUnknown model={run.info?.model} />
          ) : (
            <LineChart
              title={cost.unknown === 'some' ? 'Cost over the run (priced calls only)' : 'Cost over the run'}
              format={usd}
              series={[{ name: 'cumulative cost', values: series.map((s) => s.cumulativeCostUsd), cls: 'c-cost' }]}
            />
          )}
          <BarChart
            title="Time per turn, without approval waits"
            name="turn"
            format={duration}
            values={durations}
            cls="c-time"
            refs={
              time.count
                ? [
                    { name: 'median', value: time.medianMs, cls: 'c-median' },
                    { name: 'p95', value: time.p95Ms, cls: 'c-p95' },
                  ]
                : []
            }
          />
          {run.context && (
            <BarChart
              title="Context window filled per turn"
              name="turn"
              format={percent}
              cls="c-window"
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
  const allCost = costFigure(all.costUsd, all.unpricedCalls);
  const recentCost = costFigure(
    recent.reduce((n, r) => n + r.costUsd, 0),
    recent.reduce((n, r) => n + (r.unpricedCalls ?? 0), 0),
  );
  return (
    <section class="metrics-section">
      <h2>
        All runs in this workspace <span class="muted">· {runs.length}</span>
      </h2>
      <div class="stats">
        <Stat label="turns" value={String(all.turns)} />
        <Stat label="tool calls" value={String(all.toolCalls)} />
        <Stat label="input tokens" value={tokens(all.inputTokens)} />
        <Stat label="output tokens" value={tokens(all.outputTokens)} />
        <Stat label="cached tokens" value={tokens(all.cachedTokens)} />
        <Stat label="cost" value={allCost.text} title={allCost.title} wrap />
        <Stat label="errors" value={String(all.errors)} />
        <Stat label="wall time" value={duration(all.elapsedMs)} />
        <Stat
          label="turn time, median"
          value={all.turnTime.count ? duration(all.turnTime.medianMs) : '–'}
          title="over runs, of each run's mean time per turn"
        />
        <Stat
          label="turn time, p95"
          value={all.turnTime.count ? duration(all.turnTime.p95Ms) : '–'}
          title="over runs, of each run's mean time per turn"
        />
      </div>
      <div class="run-status-counts">
        {Object.entries(all.byStatus).map(([s, n]) => (
          <span key={s} class={`chip status-${s}`}>
            {s} {n}
          </span>
        ))}
      </div>
      <div class="charts">
        {recentCost.unknown === 'all' ? (
          <CostUnknown model={undefined} />
        ) : (
          <BarChart
            title={
              recentCost.unknown === 'some'
                ? 'Cost per run, priced calls only (latest 40, oldest first)'
                : 'Cost per run (latest 40, oldest first)'
            }
            name="run"
            format={usd}
            values={recent.map((r) => r.costUsd)}
            refs={[]}
            cls="c-cost"
          />
        )}
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
