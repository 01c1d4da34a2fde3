// Who answers "may this tool call run?": a terminal prompt, the VS Code client, or nobody.
import type { ApprovalDecisionKind, RiskTier } from '../protocol/events.ts';

export interface ApprovalQuestion {
  runId: string;
  callId: string;
  tool: string;
  tier: RiskTier;
  summary: string;
  args: unknown;
  reason: string;
  /** For writes: the unified diff of what would change. */
  diff?: string;
  /** For writes: the whole file as it would be, so an editor can show a real diff view. */
  proposed?: { path: string; content: string };
  /** False when "allow for session" / "always" cannot apply (protected files, credentials). */
  repeatable: boolean;
}

export interface ApprovalAnswer {
  decision: ApprovalDecisionKind;
  /** Told to the model when the user denies. */
  feedback?: string;
  by: 'user' | 'headless';
}

export type Approver = (q: ApprovalQuestion, signal: AbortSignal) => Promise<ApprovalAnswer>;

/** No one is there to ask: deny, and say why so the model can adapt. */
export const headlessApprover: Approver = async () => ({
  decision: 'deny',
  by: 'headless',
  feedback:
    'no one is available to approve this call (headless run); it was denied. Work with tools that do not need approval, or finish and explain what is left.',
});
