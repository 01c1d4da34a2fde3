// An immutable list with O(log32 n) get/set and amortised O(1) push: a 32-way trie plus a tail (the
// structure behind Clojure's and Immutable.js's vectors).
//
// Why: the panel's item and event lists and a run's projection (turns, conversation) reach tens of
// thousands of entries while a run streams. A pure fold that copied them for every event would be
// O(n²); mutating them in place would change states the renderer (or a test) still holds. Here an
// update copies one root-to-leaf path of nodes at most 32 wide, so every older state stays exactly as
// it was. The shape depends only on the size, so two vectors built by the same pushes are deep-equal
// however the pushes were batched.

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type TrieNode = readonly unknown[];

export interface PVec<T> {
  readonly size: number;
  /** Bits to shift at the root: BITS × (trie depth). */
  readonly shift: number;
  readonly root: TrieNode;
  /** The last 1..32 elements, kept out of the trie so pushes and edits near the end are cheap. */
  readonly tail: readonly T[];
}

export function emptyVec<T>(): PVec<T> {
  return { size: 0, shift: BITS, root: [], tail: [] };
}

export function vecOf<T>(items: Iterable<T>): PVec<T> {
  let v = emptyVec<T>();
  for (const x of items) v = push(v, x);
  return v;
}

function tailOffset(size: number): number {
  return size < WIDTH ? 0 : ((size - 1) >>> BITS) << BITS;
}

/** The 32-wide leaf holding index i (the tail or a trie leaf). */
function leafFor<T>(v: PVec<T>, i: number): readonly T[] {
  if (i >= tailOffset(v.size)) return v.tail;
  let node: TrieNode = v.root;
  for (let level = v.shift; level > 0; level -= BITS) node = node[(i >>> level) & MASK] as TrieNode;
  return node as readonly T[];
}

export function get<T>(v: PVec<T>, i: number): T | undefined {
  if (i < 0 || i >= v.size) return undefined;
  return leafFor(v, i)[i & MASK];
}

export function last<T>(v: PVec<T>): T | undefined {
  return v.size === 0 ? undefined : v.tail[v.tail.length - 1];
}

export function set<T>(v: PVec<T>, i: number, x: T): PVec<T> {
  if (i < 0 || i >= v.size) throw new RangeError(`index ${i} out of range 0..${v.size - 1}`);
  if (i >= tailOffset(v.size)) {
    const tail = v.tail.slice();
    tail[i & MASK] = x;
    return { ...v, tail };
  }
  return { ...v, root: setInTrie(v.shift, v.root, i, x) };
}

function setInTrie(level: number, node: TrieNode, i: number, x: unknown): TrieNode {
  const copy = node.slice();
  if (level === 0) copy[i & MASK] = x;
  else {
    const sub = (i >>> level) & MASK;
    copy[sub] = setInTrie(level - BITS, node[sub] as TrieNode, i, x);
  }
  return copy;
}

export function push<T>(v: PVec<T>, x: T): PVec<T> {
  if (v.size - tailOffset(v.size) < WIDTH) {
    return { size: v.size + 1, shift: v.shift, root: v.root, tail: [...v.tail, x] };
  }
  // The tail is full: it moves into the trie, growing a new root level when the trie is full too.
  let root: TrieNode;
  let shift = v.shift;
  if (v.size >>> BITS > 1 << v.shift) {
    root = [v.root, newPath(v.shift, v.tail)];
    shift += BITS;
  } else {
    root = pushTail(v.size, v.shift, v.root, v.tail);
  }
  return { size: v.size + 1, shift, root, tail: [x] };
}

function pushTail(size: number, level: number, parent: TrieNode, tail: TrieNode): TrieNode {
  const copy = parent.slice();
  const sub = ((size - 1) >>> level) & MASK;
  if (level === BITS) copy[sub] = tail;
  else {
    const child = parent[sub] as TrieNode | undefined;
    copy[sub] = child ? pushTail(size, level - BITS, child, tail) : newPath(level - BITS, tail);
  }
  return copy;
}

function newPath(level: number, node: TrieNode): TrieNode {
  return level === 0 ? node : [newPath(level - BITS, node)];
}

/** Calls fn for indices from..to-1 (clamped), a leaf at a time rather than a trie walk per element. */
export function forEachIn<T>(v: PVec<T>, from: number, to: number, fn: (x: T, i: number) => void): void {
  const end = Math.min(to, v.size);
  for (let i = Math.max(0, from); i < end; ) {
    const leaf = leafFor(v, i);
    const stop = Math.min(end, (i | MASK) + 1);
    for (; i < stop; i++) fn(leaf[i & MASK] as T, i);
  }
}

export function toArray<T>(v: PVec<T>): T[] {
  const out: T[] = new Array(v.size);
  forEachIn(v, 0, v.size, (x, i) => (out[i] = x));
  return out;
}

/** The last index whose element passes, scanning backwards (callers look for recent entries). */
export function findLastIndex<T>(v: PVec<T>, pred: (x: T) => boolean): number {
  for (let i = v.size - 1; i >= 0; i--) if (pred(get(v, i) as T)) return i;
  return -1;
}
