// Asks the person at the terminal: y / n / always. Reads from the TTY on stdin; the prompt goes to
// stderr so `--json` stdout stays pure. Shows exactly what would run or change, with characters that
// could hide part of a command (control characters, Unicode line separators) made visible.
import { createInterface } from 'node:readline/promises';
import type { Approver } from '../agent/approver.ts';
import { callSummary, visible } from './render.ts';

/**
 * `onInterrupt` is what Ctrl-C at the prompt does. While readline owns the terminal it is in raw
 * mode, so Ctrl-C arrives as a keystroke, not as SIGINT: without this it would only end the question.
 * The caller cancels the run, which aborts `signal` and so the question with it.
 */
export function ttyApprover(
  input: NodeJS.ReadStream,
  output: NodeJS.WritableStream,
  opts: { onInterrupt: () => void; describe: boolean },
): Approver {
  const { onInterrupt, describe } = opts;
  return async (q, signal) => {
    const rl = createInterface({ input, output, terminal: true });
    rl.on('SIGINT', onInterrupt);
    try {
      // With the human output the renderer has just shown the call, the reason and the diff (the same
      // lines a replay shows); with --json nothing has, so the prompt says it all.
      if (describe) {
        output.write(
          `\nAgio wants to run ${q.tool} (${q.tier}): ${visible(callSummary(q.tool, q.args, q.summary))}\n  why it asks: ${q.reason}\n`,
        );
        // The diff library's `====` rule line says nothing; the --- / +++ lines name the file.
        const diff = q.diff?.replace(/^=+\n/m, '');
        if (diff) output.write(diff.endsWith('\n') ? diff : `${diff}\n`);
      }
      const choices = q.repeatable ? '[y]es / [n]o / [a]lways' : '[y]es / [n]o';
      for (;;) {
        const answer = (await rl.question(`Allow? ${choices}: `, { signal })).trim().toLowerCase();
        if (answer === 'y' || answer === 'yes') return { decision: 'allow', by: 'user' };
        if (q.repeatable && (answer === 'a' || answer === 'always')) return { decision: 'always', by: 'user' };
        if (answer === 'n' || answer === 'no') {
          const why = (await rl.question('Tell the model why (optional): ', { signal })).trim();
          return why ? { decision: 'deny', by: 'user', feedback: why } : { decision: 'deny', by: 'user' };
        }
      }
    } catch {
      // Ctrl-C (the run is being cancelled) or a closed terminal while asking: never a silent approval.
      const feedback = signal.aborted ? 'the run was cancelled at the prompt' : 'the prompt was interrupted';
      return { decision: 'deny', by: 'user', feedback };
    } finally {
      rl.close();
    }
  };
}
