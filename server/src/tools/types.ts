// What a tool is. One tool per file, its zod schema beside it; side effects reach a tool only
// through the ToolContext so the same tool works headless (disk) and in the editor (applyEdit).
import type { z } from 'zod';
import type { RiskTier, ToolResultEnvelope } from '../protocol/events.ts';
import type { WorkspaceFiles } from '../workspace/files.ts';

export type { WorkspaceFiles };

/** What a tool returns; the runner adds `durationMs`. */
export type ToolOutcome = Omit<ToolResultEnvelope, 'durationMs'>;

export interface ToolContext {
  /** The workspace root, already realpath-resolved. Every path a tool touches must stay inside it. */
  readonly root: string;
  readonly files: WorkspaceFiles;
  /** Aborted on cancel: a tool stops promptly and kills whatever it started. */
  readonly signal: AbortSignal;
  /** Live output of a running tool (bash), streamed as `tool_output` events. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Environment for child processes (already filtered by the policy layer). */
  readonly env: NodeJS.ProcessEnv;
  /** Turns a command line into the process to spawn: `bash -c` by default, or inside the sandbox. */
  readonly launch?: (command: string) => { file: string; args: string[] };
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** Shown to the model; say what it does and what it returns. */
  readonly description: string;
  readonly tier: RiskTier;
  readonly schema: S;
  /** A one-line human summary of a call (for approval prompts and cards): the path, the command. */
  summarize(args: z.infer<S>): string;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** A failed outcome with a message the model can act on. */
export function toolError(message: string): ToolOutcome {
  return { ok: false, output: message };
}
