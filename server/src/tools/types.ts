// What a tool is. One tool per file, its zod schema beside it; side effects reach a tool only
// through the ToolContext (files, processes, network) so the same tool works headless (disk) and in
// the editor (open buffers, applyEdit), and a test can give it fakes.
import type { z } from 'zod';
import type { RiskTier, ToolResultEnvelope } from '../protocol/events.ts';
import type { WorkspaceFiles } from '../workspace/files.ts';
import type { Network, Processes } from '../workspace/processes-and-network.ts';

/** What a tool returns; the runner adds `durationMs`. */
export type ToolOutcome = Omit<ToolResultEnvelope, 'durationMs'>;

// The file seam lives below the tools, beside its two implementations (workspace/).
export type {
  DirEntry,
  FileFacts,
  FileKind,
  SearchQuery,
  SearchResult,
  SpecialKind,
  WorkspaceFiles,
} from '../workspace/files.ts';

export type { Network, Processes, SpawnedProcess } from '../workspace/processes-and-network.ts';

export interface ToolContext {
  /** The workspace root, already realpath-resolved. Every path a tool touches must stay inside it. */
  readonly root: string;
  readonly files: WorkspaceFiles;
  readonly processes: Processes;
  readonly network: Network;
  /** Aborted on cancel: a tool stops promptly and kills whatever it started. */
  readonly signal: AbortSignal;
  /** Why reading this file's contents (workspace-relative path) needs the user's approval (a
   * credentials file, a path rule), or undefined when read would show it unasked. The policy decides
   * (the tools sit below it); grep withholds such files' lines, so a search is no way around read's
   * approval. */
  readonly readNeedsApproval: (rel: string) => string | undefined;
  /** How long a file tool (read, grep, find, ls) may run before it gives up; default
   * FILE_TOOL_TIME_LIMIT_MS (tool-util.ts). */
  readonly timeLimitMs?: number;
  /** Live output of a running tool (bash), streamed as `tool_output` events. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: string) => void;
  /** Environment for child processes (already filtered by the policy layer). */
  readonly env: NodeJS.ProcessEnv;
  /** Turns a command line into the process to spawn: `bash -c` by default, or inside the sandbox. */
  readonly launch?: (command: string) => { file: string; args: string[] };
}

/** A write tool's whole effect on one file, computed without side effects. */
export interface FileChange {
  abs: string;
  rel: string;
  /** The file's bytes now; undefined for a new file. */
  before: Buffer | undefined;
  /** Its whole content afterwards: exactly what the tool writes. */
  after: string;
}

export type Proposal = { ok: true; change: FileChange } | { ok: false; error: string };

export interface Tool<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** Shown to the model; say what it does and what it returns. */
  readonly description: string;
  readonly tier: RiskTier;
  readonly schema: S;
  /** The one-line answer to "what does this call do?" (the path and range, the command, the
   * pattern), without the tool's name, which every surface shows beside it. The `tool_call` event,
   * the approval request, the CLI and the panel all show this. */
  summarize(args: z.infer<S>): string;
  /** Write tools: the change `execute` would make now, from the same code `execute` writes with, so
   * the diff a user approves is by construction what lands. */
  propose?(args: z.infer<S>, ctx: Pick<ToolContext, 'root' | 'files'>): Promise<Proposal>;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** A failed outcome with a message the model can act on. */
export function toolError(message: string): ToolOutcome {
  return { ok: false, output: message };
}
