// The provider: what the model is given besides the conversation itself. The system prompt and the
// project's root rules (fixed for the whole run), the rules of each subfolder the run touches (once
// each, as a message), and the task's attachments. Events are the caller's; this only gathers.
import { release, type } from 'node:os';
import type { ApprovalMode, ContextItem, ToolResultEnvelope } from '../protocol/events.ts';
import type { Attachment } from '../protocol/methods.ts';
import { systemPrompt } from './system-prompt.ts';
import { resolveAttachments, type ResolvedAttachments } from './attachments.ts';
import { FolderRules, folderRulesMessage, rootRules, rulesItem, rulesSection } from './rules.ts';
import { pathArg } from './call-args.ts';

export interface ProviderFacts {
  cwd: string;
  approval: ApprovalMode;
  sandbox: string;
  trusted: boolean;
  tools: readonly { name: string; tier: string }[];
  /** Subfolder rules a resumed conversation already holds. */
  folderRulesGiven?: readonly string[];
  /** Rules files are project text like any other: nothing that looks like a secret reaches the model. */
  redact: (text: string) => string;
}

/** A subfolder's rules as they join the conversation: the message and the chip. */
export interface FolderRulesAdded {
  text: string;
  item: ContextItem;
}

export class ContextProvider {
  readonly system: string;
  /** The root rules, for the `context_added` event at the start. */
  readonly rootItems: ContextItem[];
  private readonly facts: ProviderFacts;
  private readonly folders: FolderRules;

  constructor(facts: ProviderFacts) {
    this.facts = facts;
    const rules = rootRules(facts.cwd).map((r) => ({ ...r, text: facts.redact(r.text) }));
    this.rootItems = rules.map(rulesItem);
    this.system = [
      systemPrompt({
        cwd: facts.cwd,
        approval: facts.approval,
        platform: process.platform,
        os: `${type()} ${release()}`,
        sandbox: facts.sandbox,
        trusted: facts.trusted,
        tools: [...facts.tools].sort((a, b) => (a.name < b.name ? -1 : 1)),
      }),
      rulesSection(rules),
    ]
      .filter((p) => p !== '')
      .join('\n\n');
    this.folders = new FolderRules(facts.cwd, facts.folderRulesGiven);
  }

  /** Rules of folders a tool call's `path` argument leads into, the first time the run goes there. */
  rulesForCall(argsJson: string): FolderRulesAdded[] {
    const p = pathArg(argsJson);
    if (p === undefined) return [];
    return this.folders.touched(p, false).map((f) => {
      const clean = { ...f, text: this.facts.redact(f.text) };
      return { text: folderRulesMessage(clean), item: rulesItem(clean) };
    });
  }

  /** The task's attachments; `runTool` runs a read through the policy as a call of the first turn. */
  attachments(
    list: readonly Attachment[],
    opts: {
      windowTokens: number;
      redact: (t: string) => string;
      signal: AbortSignal;
      runTool: (name: string, args: Record<string, unknown>) => Promise<ToolResultEnvelope>;
    },
  ): Promise<ResolvedAttachments> {
    return resolveAttachments(list, {
      root: this.facts.cwd,
      trusted: this.facts.trusted,
      redact: opts.redact,
      signal: opts.signal,
      runTool: opts.runTool,
      // A share of the window, so the task with its attachments leaves room to work.
      budgetChars: Math.floor(opts.windowTokens * 4 * 0.3),
    });
  }
}
