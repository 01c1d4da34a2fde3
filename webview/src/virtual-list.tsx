// A windowed list with variable row heights: only the rows in (and near) the viewport are in the DOM,
// so a 10,000-event run costs the same to draw as a short one. Rows start at an estimated height and
// are measured with one ResizeObserver; two spacers stand in for the rows above and below.
//
// Own code rather than a library: what is needed (variable heights measured after paint, following
// the bottom while streaming unless the user scrolled up, no inline styles beyond CSSOM heights for a
// strict CSP) is ~150 lines, and the React-oriented libraries would pull preact/compat in.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps {
  count: number;
  keyOf: (i: number) => string;
  /** A guess for rows not measured yet; the closer, the less the scrollbar moves. */
  estimate: (i: number) => number;
  renderRow: (i: number) => ComponentChildren;
  /** Keep the newest row in view as rows arrive, until the user scrolls up. */
  followBottom?: boolean;
  /** false renders every row (the benchmark's baseline); default true. */
  virtual?: boolean;
  /** Changes when rows are replaced rather than appended (a new filter), so offsets are redone. */
  layoutKey?: string;
  class?: string;
  label?: string;
}

/** Rows drawn beyond the viewport on each side: enough for a wheel flick, few enough to draw fast. */
const OVERSCAN_PX = 400;
const BOTTOM_SLACK_PX = 24;

/** Prefix sums of row heights, recomputed only from the first row that changed. */
class Offsets {
  readonly heights = new Map<string, number>();
  tops: number[] = [0];
  validUpTo = 0; // tops[0..validUpTo] are right
  update(count: number, keyOf: (i: number) => string, estimate: (i: number) => number): void {
    if (this.tops.length > count + 1) this.tops.length = count + 1;
    for (let i = this.validUpTo; i < count; i++) {
      this.tops[i + 1] = this.tops[i]! + (this.heights.get(keyOf(i)) ?? estimate(i));
    }
    this.validUpTo = count;
  }
  invalidateFrom(i: number): void {
    this.validUpTo = Math.min(this.validUpTo, i);
  }
  /** The row at height y (binary search). */
  indexAt(y: number, count: number): number {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.tops[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }
}

export function VirtualList(props: VirtualListProps) {
  const { count, keyOf, estimate, virtual = true } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const follow = useRef(props.followBottom);
  follow.current = props.followBottom;
  const offsets = useRef(new Offsets()).current;
  const [, setTick] = useState(0);
  const [stuck, setStuck] = useState(true);
  const view = useRef({ top: 0, height: 800, first: -1, last: -1, count: 0, layoutKey: props.layoutKey, stuck: true });
  const observed = useRef(new Set<Element>()).current;
  const observer = useRef<ResizeObserver | null>(null);
  const v = view.current;

  if (v.layoutKey !== props.layoutKey || count < v.count) offsets.invalidateFrom(0);
  v.layoutKey = props.layoutKey;
  v.count = count;
  offsets.update(count, keyOf, estimate);
  const total = offsets.tops[count] ?? 0;

  let first = 0;
  let last = count - 1;
  if (virtual && count > 0) {
    first = offsets.indexAt(Math.max(0, v.top - OVERSCAN_PX), count);
    last = offsets.indexAt(v.top + v.height + OVERSCAN_PX, count);
    // While following the bottom the viewport is the end of the list, wherever scrollTop still is.
    if (props.followBottom && v.stuck) {
      last = count - 1;
      first = offsets.indexAt(Math.max(0, total - v.height - OVERSCAN_PX), count);
    }
  }
  v.first = first;
  v.last = last;

  // One observer for the viewport, the content and every row. Its callbacks come after layout, so
  // following the bottom there (reading scrollHeight, setting scrollTop) forces no extra layout.
  useLayoutEffect(() => {
    const el = scroller.current!;
    const inner = content.current!;
    const ro = new ResizeObserver((entries) => {
      let changed = false;
      for (const e of entries) {
        const target = e.target as HTMLElement;
        if (target === el) {
          v.height = el.clientHeight;
          changed = true;
          continue;
        }
        const key = target.dataset.key;
        if (key === undefined || !target.isConnected) continue;
        const h = e.borderBoxSize?.[0]?.blockSize ?? target.getBoundingClientRect().height;
        if (offsets.heights.get(key) !== h) {
          offsets.heights.set(key, h);
          offsets.invalidateFrom(Number(target.dataset.index));
          changed = true;
        }
      }
      if (follow.current && v.stuck) el.scrollTop = el.scrollHeight;
      if (changed) setTick((t) => t + 1);
    });
    ro.observe(el);
    ro.observe(inner);
    observer.current = ro;
    return () => ro.disconnect();
  }, []);

  // Observe the rows now in the DOM and forget the ones that left (observing forces no layout).
  useLayoutEffect(() => {
    const ro = observer.current!;
    for (const node of Array.from(content.current!.children)) {
      if ((node as HTMLElement).dataset.key !== undefined && !observed.has(node)) {
        observed.add(node);
        ro.observe(node);
      }
    }
    for (const node of observed) {
      if (!node.isConnected) {
        ro.unobserve(node);
        observed.delete(node);
      }
    }
  });

  const onScroll = () => {
    const el = scroller.current!;
    v.top = el.scrollTop;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
    if (atBottom !== v.stuck) {
      v.stuck = atBottom;
      setStuck(atBottom);
    }
    if (!virtual || count === 0) return;
    const f = offsets.indexAt(Math.max(0, v.top - OVERSCAN_PX), count);
    const l = offsets.indexAt(v.top + v.height + OVERSCAN_PX, count);
    if (f < v.first || l > v.last || f > v.first + 20 || l < v.last - 20) setTick((t) => t + 1);
  };
  // A wheel or key scroll up must win over a render that lands before the scroll event does.
  const unstick = () => {
    const el = scroller.current!;
    if (!props.followBottom || !v.stuck || el.scrollHeight <= el.clientHeight) return;
    v.stuck = false;
    setStuck(false);
  };
  const onWheel = (e: WheelEvent) => e.deltaY < 0 && unstick();
  const onKeyDown = (e: KeyboardEvent) => ['PageUp', 'ArrowUp', 'Home'].includes(e.key) && unstick();
  const toBottom = () => {
    v.stuck = true;
    setStuck(true);
    scroller.current!.scrollTop = scroller.current!.scrollHeight;
  };

  const rows: ComponentChildren[] = [];
  for (let i = first; i <= last && i < count; i++) {
    const key = keyOf(i);
    rows.push(
      <div class="vlist-row" role="listitem" key={key} data-key={key} data-index={i}>
        {props.renderRow(i)}
      </div>,
    );
  }
  const padTop = virtual ? (offsets.tops[first] ?? 0) : 0;
  const padBottom = virtual ? Math.max(0, total - (offsets.tops[Math.min(last + 1, count)] ?? total)) : 0;
  return (
    <div class={`vlist-frame ${props.class ?? ''}`}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/noStaticElementInteractions: a scrollable region must take focus so the keyboard can scroll it */}
      <div class="vlist" ref={scroller} onScroll={onScroll} onWheel={onWheel} onKeyDown={onKeyDown} tabIndex={0}>
        <div class="vlist-content" ref={content} role="list" aria-label={props.label}>
          <div class="vlist-pad" style={{ height: `${padTop}px` }} />
          {rows}
          <div class="vlist-pad" style={{ height: `${padBottom}px` }} />
        </div>
      </div>
      {props.followBottom && !stuck && count > 0 && (
        <button type="button" class="jump-latest" onClick={toBottom} title="Scroll to the latest">
          <i class="codicon codicon-arrow-down" /> Latest
        </button>
      )}
    </div>
  );
}
