// A reader that goes away early (`agio runs --json | head -1`) closes our stdout: the next write fails
// with EPIPE, which Node reports as an 'error' event that nothing handles, and the CLI died with a
// stack trace. Node ignores SIGPIPE, so this is where the Unix "the reader is gone, stop" happens.

/** What the running command does when stdout closes; without one the CLI exits at once with 0. */
let onStdoutClosed: (() => void) | undefined;

/** A run registers how to stop itself; the returned function unregisters it. */
export function whenStdoutCloses(stop: () => void): () => void {
  onStdoutClosed = stop;
  return () => {
    if (onStdoutClosed === stop) onStdoutClosed = undefined;
  };
}

let closed = false;
/** True once stdout has gone away: further output is dropped rather than written. */
export function stdoutClosed(): boolean {
  return closed;
}

/** Installed once by cli.ts before any command runs. */
export function handleClosedOutput(exit: (code: number) => void = (code) => process.exit(code)): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // After EPIPE the stream is destroyed, and later writes report ERR_STREAM_DESTROYED: same cause.
    const gone = err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
    if (closed) return;
    closed = true;
    if (!gone) {
      process.stderr.write(`agio: cannot write to stdout (${err.message}); stopping\n`);
      if (!onStdoutClosed) return exit(1);
    }
    if (onStdoutClosed) onStdoutClosed();
    // Listing or replaying for a reader that has what it wanted is not a failure.
    else exit(0);
  });
  // With stderr gone too there is nowhere left to say anything: carry on quietly.
  process.stderr.on('error', () => {});
}
