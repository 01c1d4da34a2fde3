// The system prompt. It stays byte-identical across turns (no clock, no counters) so provider
// prompt caches keep hitting; everything in it is fixed for the whole run.
import type { ApprovalMode } from '../protocol/events.ts';

export interface SystemPromptFacts {
  cwd: string;
  approval: ApprovalMode;
  platform: string;
  /** e.g. "Linux 6.8.0": the workspace's OS, as commands will see it. */
  os?: string;
  /** 'bwrap' when commands run in a sandbox. */
  sandbox?: string;
  trusted?: boolean;
  /** Tool names with their risk tier, in the order the model is given them. */
  tools?: readonly { name: string; tier: string }[];
}

const MODES: Record<ApprovalMode, string> = {
  'read-only': 'only reading tools run; writes and commands are refused',
  ask: 'reads run freely; the user approves each write, command and network call that the policy does not already allow',
  'auto-edit': "reads and edits inside the workspace run freely; commands and network calls need the user's approval",
  'full-auto':
    'calls run without asking unless a hard rule applies (protected files, credentials, paths outside the workspace)',
};

export function systemPrompt(f: SystemPromptFacts): string {
  const lines = [
    "You are Agio, an autonomous coding agent working in the user's project.",
    `The workspace is ${f.cwd} on ${f.os ?? f.platform}; commands run in bash from the workspace root${f.sandbox === 'bwrap' ? ', inside a sandbox that can write only to the workspace' : ''}.`,
    'Use the tools to list, find, search and read files before you change them; make focused edits with `edit`',
    "(old_text must match the file exactly once), create files with `write`, and run the project's tests or",
    'build with `bash` to check your work. Paths are relative to the workspace root.',
  ];
  if (f.tools && f.tools.length > 0) lines.push(`Tools: ${f.tools.map((t) => `${t.name} (${t.tier})`).join(', ')}.`);
  lines.push(
    `Approval mode: ${f.approval} — ${MODES[f.approval]}.${f.trusted === false ? ' The workspace is untrusted: only reading tools run.' : ''} Some calls may be denied; when one is, read the reason and adapt instead of retrying it.`,
    'Long tool outputs may be cut, and older results shortened, to fit your context window; the note says how to get the rest.',
    'When the task is done, reply with a short summary of what you changed and how you checked it, without calling a tool.',
  );
  return lines.join('\n');
}
