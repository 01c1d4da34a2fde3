// Where the event log lives when the user does not say. Pure: it only computes a path; creating the
// folder is EventStore.open's job, so asking for the path never touches the disk.
import os from 'node:os';
import path from 'node:path';

const DB_NAME = 'agio.db';

/**
 * `$AGIO_STORE` if set; otherwise the platform's per-user data folder:
 * Linux/BSD `$XDG_DATA_HOME/agio/agio.db` (or `~/.local/share/agio/agio.db`),
 * macOS `~/Library/Application Support/agio/agio.db`, Windows `%LOCALAPPDATA%\agio\agio.db`.
 * `platform` and `home` are parameters so tests can ask for every platform from any machine.
 */
export function defaultStorePath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const explicit = env.AGIO_STORE;
  if (explicit) return explicit;

  if (platform === 'win32') {
    // Windows paths are built with win32 rules even when computed elsewhere (tests), so the
    // separators are what Windows expects.
    const local = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(local, 'agio', DB_NAME);
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'agio', DB_NAME);
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(dataHome, 'agio', DB_NAME);
}
