// Small helpers shared by the file tools: turning fs errors into messages a model can act on,
// spotting binary files, and numbering lines the same way in read and edit.

/** The fs error code of `e`, if it has one. */
export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** A sentence for an expected fs failure on `rel`; `verb` is what we tried ("read", "write"). */
export function fsErrorMessage(e: unknown, verb: string, rel: string): string {
  switch (errCode(e)) {
    case 'ENOENT':
      return `Cannot ${verb} "${rel}": no such file or directory.`;
    case 'EISDIR':
      return `Cannot ${verb} "${rel}": it is a directory. Use ls to list a directory.`;
    case 'ENOTDIR':
      return `Cannot ${verb} "${rel}": a part of the path is a file, not a directory.`;
    case 'EACCES':
    case 'EPERM':
      return `Cannot ${verb} "${rel}": permission denied.`;
    default:
      return `Cannot ${verb} "${rel}": ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Same heuristic as git and grep: a NUL byte in the first 8 KB means binary. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export const MAX_LINE_CHARS = 2000;

/** Cut an over-long line (minified code, data) so one line cannot flood the model's context. */
export function cutLine(line: string, max = MAX_LINE_CHARS): string {
  return line.length <= max ? line : `${line.slice(0, max)} … [line cut: ${line.length - max} more chars]`;
}

/** `  12\ttext`: the number right-aligned to `width`, a tab, then the line as it is. */
export function numbered(n: number, width: number, line: string): string {
  return `${String(n).padStart(width)}\t${line}`;
}
