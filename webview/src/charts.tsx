// Small inline SVG charts drawn here rather than with a chart library: a few polylines and rects are
// all the Metrics tab needs, they take the theme's colours from CSS classes (no inline styles, so the
// CSP stays strict), and they cost nothing to load.
import type { ComponentChildren } from 'preact';

const W = 300;
const H = 80;

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** CSS class giving the stroke colour (see metrics.css). */
  readonly cls: string;
}

function maxOf(all: ReadonlyArray<readonly number[]>): number {
  let m = 0;
  for (const vs of all) for (const v of vs) if (v > m) m = v;
  return m || 1;
}

function Frame({
  title,
  unit,
  max,
  format,
  n,
  legend,
  children,
}: {
  title: string;
  unit: string;
  max: number;
  format: (v: number) => string;
  n: number;
  legend: ReadonlyArray<{ name: string; cls: string }>;
  children: ComponentChildren;
}) {
  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{title}</span>
        <span class="chart-legend">
          {legend.map((l) => (
            <span key={l.name} class={`legend ${l.cls}`}>
              <i class="swatch" aria-hidden="true" />
              {l.name}
            </span>
          ))}
        </span>
      </figcaption>
      <div class="chart-body">
        <span class="chart-max">{format(max)}</span>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={title}>
          <line class="axis" x1="0" y1={H} x2={W} y2={H} />
          {children}
        </svg>
        <span class="chart-x">{n <= 1 ? '' : `${unit} 1 … ${n}`}</span>
      </div>
    </figure>
  );
}

export function LineChart({
  title,
  series,
  format,
}: {
  title: string;
  series: readonly Series[];
  format: (v: number) => string;
}) {
  const n = Math.max(...series.map((s) => s.values.length), 0);
  const max = maxOf(series.map((s) => s.values));
  const x = (i: number) => (n <= 1 ? W / 2 : (i / (n - 1)) * W);
  const y = (v: number) => H - (v / max) * (H - 4);
  return (
    <Frame title={title} unit="turn" max={max} format={format} n={n} legend={series}>
      {series.map((s) => (
        <polyline
          key={s.name}
          class={`line ${s.cls}`}
          points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
        >
          <title>{s.name}</title>
        </polyline>
      ))}
    </Frame>
  );
}

export interface RefLine {
  readonly name: string;
  readonly value: number;
  readonly cls: string;
}

export function BarChart({
  title,
  name,
  values,
  refs,
  format,
  cls,
}: {
  title: string;
  name: string;
  values: readonly number[];
  refs: readonly RefLine[];
  format: (v: number) => string;
  cls: string;
}) {
  const n = values.length;
  const max = maxOf([values, refs.map((r) => r.value)]);
  const bw = n === 0 ? 0 : W / n;
  const y = (v: number) => H - (v / max) * (H - 4);
  return (
    <Frame title={title} unit={name} max={max} format={format} n={n} legend={[{ name, cls }, ...refs]}>
      {values.map((v, i) => (
        <rect
          key={i}
          class={`bar ${cls}`}
          x={i * bw + bw * 0.1}
          width={Math.max(bw * 0.8, 0.5)}
          y={y(v)}
          height={H - y(v)}
        >
          <title>{`${name} ${i + 1}: ${format(v)}`}</title>
        </rect>
      ))}
      {refs.map((r) => (
        <line key={r.name} class={`ref ${r.cls}`} x1="0" x2={W} y1={y(r.value)} y2={y(r.value)}>
          <title>{`${r.name}: ${format(r.value)}`}</title>
        </line>
      ))}
    </Frame>
  );
}
