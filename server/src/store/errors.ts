// Turns SQLite and file-system failures into messages a user can act on. The raw SQLite text
// ("database or disk is full") names neither the file nor a way out; these do, and keep the original
// error as `cause` for whoever debugs it.

export type StoreAction = 'open' | 'write' | 'read';

/** A failure of the event log. `code` is SQLite's (SQLITE_FULL, …) or the OS's (EACCES, …). */
export class StoreError extends Error {
  readonly code: string;
  readonly file: string;

  constructor(message: string, code: string, file: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

const ELSEWHERE = 'point --store / AGIO_STORE elsewhere';

/** [what happened, what the user can do] for a SQLite or errno code. */
function explain(code: string): [string, string] {
  const family = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  switch (family) {
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return ['disk full', `Free some space or ${ELSEWHERE}.`];
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return [
        'the file stayed locked by another process for more than 5 s',
        `Close other Agio processes that use it, or ${ELSEWHERE}.`,
      ];
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return [
        'the file is damaged or is not an Agio event log',
        `Move it aside (Agio then starts a new log there) or ${ELSEWHERE}.`,
      ];
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'SQLITE_AUTH':
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'ENOTDIR':
      return ['the file or its folder cannot be opened for writing', `Check its permissions or ${ELSEWHERE}.`];
    case 'SQLITE_IOERR':
      return ['the disk reported an I/O error', `Check the disk (or network drive), or ${ELSEWHERE}.`];
    case 'SQLITE_CONSTRAINT':
      return [
        'an event conflicts with one already stored (did another process write to the same run?)',
        'Only one process may write a given run; restart the run under a new id.',
      ];
    case 'AGIO_SCHEMA_NEWER':
      return ['', `Upgrade Agio, or ${ELSEWHERE}.`];
    default:
      return ['', `If it persists, ${ELSEWHERE}.`];
  }
}

/** Whether `err` came from SQLite or the OS (it has a code), rather than from a bug in the caller. */
export function isStorageFailure(err: unknown): boolean {
  return typeof (err as { code?: unknown } | null)?.code === 'string';
}

/** Wraps any error thrown while touching the log at `file`. Already-wrapped errors pass through. */
export function storeError(err: unknown, file: string, action: StoreAction, detail = ''): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN';
  const raw = typeof e?.message === 'string' ? e.message : String(err);
  const [what, todo] = explain(code);
  const head = `Agio could not ${action} its event log at ${file}: ${what || raw} (${code}).`;
  return new StoreError(`${head}${detail ? ` ${detail}` : ''} ${todo}`, code, file, err);
}
