// The last command's output in each terminal, for @terminal. VS Code exposes a terminal's output only
// through shell integration: each command's stream must be read from its start, so every execution is
// followed as it begins and the latest one per terminal is kept (its tail, capped). A terminal
// without shell integration (or a command run before Agio activated) has nothing to give.
import * as vscode from 'vscode';
import { keepTail, plainTerminalText } from './terminal-text.ts';

/** Raw characters kept per command: what a model needs is the end (the error, the summary). */
const MAX_RAW = 64_000;
const MAX_TEXT = 16_000;

interface LastCommand {
  readonly commandLine: string;
  raw: string;
  cut: boolean;
  exitCode?: number;
  done: boolean;
}

export class TerminalOutput implements vscode.Disposable {
  private readonly last = new Map<vscode.Terminal, LastCommand>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidStartTerminalShellExecution((e) => void this.follow(e.terminal, e.execution)),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const c = this.last.get(e.terminal);
        if (c && c.commandLine === e.execution.commandLine.value) {
          c.done = true;
          if (e.exitCode !== undefined) c.exitCode = e.exitCode;
        }
      }),
      vscode.window.onDidCloseTerminal((t) => this.last.delete(t)),
    ];
  }

  private async follow(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): Promise<void> {
    const entry: LastCommand = { commandLine: execution.commandLine.value, raw: '', cut: false, done: false };
    this.last.set(terminal, entry);
    try {
      for await (const chunk of execution.read()) {
        if (this.last.get(terminal) !== entry) return; // a newer command took over
        const kept = keepTail(entry.raw + chunk, MAX_RAW);
        entry.raw = kept.text;
        entry.cut ||= kept.cut;
      }
    } catch {
      // The terminal went away mid-stream: what was read is still the last output.
    }
  }

  /** The active terminal's last command and its output, or why there is none. */
  snapshot(): { label: string; content: string } {
    const terminal = vscode.window.activeTerminal;
    if (!terminal) return { label: '@terminal (no terminal open)', content: '' };
    const c = this.last.get(terminal);
    if (!c) {
      return {
        label: `@terminal (${terminal.name}: VS Code did not expose its output; shell integration is needed)`,
        content: '',
      };
    }
    // VS Code starts handing a command's output to extensions only once it has told them the command
    // started; a command that prints and ends within those milliseconds can reach Agio empty. Say so.
    if (c.done && c.raw === '') {
      return {
        label: `@terminal (${terminal.name})`,
        content: `$ ${c.commandLine}\n[VS Code passed on no output for this command; if it printed something, it finished before the output could be read]`,
      };
    }
    const output = keepTail(plainTerminalText(c.raw).trimEnd(), MAX_TEXT);
    const status = !c.done ? 'still running' : c.exitCode !== undefined ? `exit code ${c.exitCode}` : 'finished';
    const head = `$ ${c.commandLine}\n${c.cut || output.cut ? '[…earlier output left out]\n' : ''}`;
    return { label: `@terminal (${terminal.name})`, content: `${head}${output.text}\n[${status}]` };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
