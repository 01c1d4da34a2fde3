// An approval, declared once: the question the server puts to a person and the answer it gets back.
// The `agio/approval/request` method's params and result are these schemas, the `approval_request`
// event records the question's own fields (events.ts), the panel's `approve` message carries the
// answer (webview.ts), and the client and the server's approvers hold them as they are.
import { z } from 'zod';

export const RiskTier = z.enum(['read', 'write', 'exec', 'network']);
export type RiskTier = z.infer<typeof RiskTier>;

export const ApprovalDecisionKind = z.enum(['allow', 'allow_session', 'always', 'deny']);
export type ApprovalDecisionKind = z.infer<typeof ApprovalDecisionKind>;

/** Who decided: the policy on its own, a person, or nobody being there (a headless run). */
export const DecidedBy = z.enum(['policy', 'user', 'headless']);
export type DecidedBy = z.infer<typeof DecidedBy>;

export const ApprovalQuestion = z.object({
  runId: z.string(),
  /** The tool call asked about; a question about the run itself has an id of its own (agio-no-progress-N). */
  callId: z.string(),
  tool: z.string(),
  tier: RiskTier,
  summary: z.string(),
  args: z.unknown(),
  reason: z.string(),
  /** For writes: the unified diff of what would change, shown before anything touches disk. */
  diff: z.string().optional(),
  /** False when "allow for session" / "always" cannot apply (protected files, credentials, …). */
  repeatable: z.boolean(),
  /** For writes: the whole file as it would be, so an editor can show a real diff view. */
  proposed: z.object({ path: z.string(), content: z.string() }).optional(),
});
export type ApprovalQuestion = z.infer<typeof ApprovalQuestion>;

export const ApprovalAnswer = z.object({
  decision: ApprovalDecisionKind,
  /** Told to the model when the user denies. */
  feedback: z.string().optional(),
});
export type ApprovalAnswer = z.infer<typeof ApprovalAnswer>;

/** The question's fields the event log keeps (approval_request): the run and the call are the event's
 * own (its runId and parent), the arguments are in the tool_call, and the proposed file is too big to
 * log. `repeatable` is absent in logs written before it existed. */
export const ApprovalAsked = ApprovalQuestion.pick({
  tool: true,
  tier: true,
  summary: true,
  reason: true,
  diff: true,
}).extend({ repeatable: ApprovalQuestion.shape.repeatable.optional() });
export type ApprovalAsked = z.infer<typeof ApprovalAsked>;
