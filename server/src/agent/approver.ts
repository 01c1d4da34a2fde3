// Who answers "may this tool call run?": a terminal prompt, the VS Code client, or nobody. The question
// and the answer are the protocol's (protocol/approval.ts); an approver also says who answered.
import type { ApprovalAnswer, ApprovalQuestion, DecidedBy } from '../protocol/approval.ts';

export type ApproverAnswer = ApprovalAnswer & { by: Exclude<DecidedBy, 'policy'> };

export type Approver = (q: ApprovalQuestion, signal: AbortSignal) => Promise<ApproverAnswer>;

/** No one is there to ask: deny, and say why so the model can adapt. */
export const headlessApprover: Approver = async () => ({
  decision: 'deny',
  by: 'headless',
  feedback:
    'no one is available to approve this call (headless run); it was denied. Work with tools that do not need approval, or finish and explain what is left.',
});
