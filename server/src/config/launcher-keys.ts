// The API keys bin/agio.mjs took out of the environment (it passes them on a pipe so that no process
// running Agio has them in /proc/<pid>/environ). They live in memory only: the run's own copy of the
// environment gets them (the resolver reads the key there, the redactor hides its value), while
// process.env, which child processes inherit by default, never does.
const SLOT = Symbol.for('agio.launcherKeys');

export function launcherKeys(): Record<string, string> {
  const keys = (globalThis as Record<symbol, unknown>)[SLOT];
  if (typeof keys !== 'object' || keys === null) return {};
  return Object.fromEntries(Object.entries(keys).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** process.env as it was given to `agio`, keys included, as a copy. */
export function environmentWithKeys(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, ...launcherKeys() };
}
