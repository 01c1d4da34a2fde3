// What a tool call's arguments say, read without trusting them: the model may send anything.

/** The `path` argument of a call, if it has one (the file or folder the call is about). */
export function pathArg(json: string): string | undefined {
  try {
    const v = JSON.parse(json) as { path?: unknown } | null;
    return typeof v === 'object' && v !== null && typeof v.path === 'string' ? v.path : undefined;
  } catch {
    return undefined;
  }
}
