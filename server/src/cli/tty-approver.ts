// Asks the person at the terminal: y / n / always. Reads from the TTY on stdin; the prompt goes to
// stderr so `--json` stdout stays pure.
import { createInterface } from 'node:readline/promises';
import type { Approver } from '../agent/approver.ts';
import { summarizeArgs } from './render.ts';

export function ttyApprover(input: NodeJS.ReadStream, output: NodeJS.WritableStream): Approver {
  return async (q, signal) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      output.write(`\nAgio wants to run ${q.tool} (${q.tier}): ${summarizeArgs(q.tool, q.args)}\n`);
      for (;;) {
        const answer = (await rl.question('Allow? [y]es / [n]o / [a]lways for this session: ', { signal })).trim().toLowerCase();
        if (answer === 'y' || answer === 'yes') return { decision: 'allow', by: 'user' };
        if (answer === 'a' || answer === 'always') return { decision: 'allow_session', by: 'user' };
        if (answer === 'n' || answer === 'no') {
          const why = (await rl.question('Tell the model why (optional): ', { signal })).trim();
          return why ? { decision: 'deny', by: 'user', feedback: why } : { decision: 'deny', by: 'user' };
        }
      }
    } catch {
      // Ctrl-C or a closed terminal while asking: never a silent approval.
      return { decision: 'deny', by: 'user', feedback: 'the prompt was interrupted' };
    } finally {
      rl.close();
    }
  };
}
