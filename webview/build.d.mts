// Types for build.mjs, so TypeScript callers (the benchmark, the screenshot script) can import it.
import type { Metafile } from 'esbuild';
export function buildWebview(opts?: {
  minify?: boolean;
  sourcemap?: boolean;
  harness?: boolean;
  outRoot?: string;
}): Promise<Metafile>;
