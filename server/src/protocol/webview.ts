// Messages between the VS Code client and the webview panel, declared once. The webview never talks
// to the server; the client relays. Events travel as increments (never the whole transcript again):
// `events` appends to a run in seq order; `reset` replaces a run's events (opening a past run).
import { z } from 'zod';
import { ApprovalAnswer } from './approval.ts';
import { AgioEvent, ApprovalMode } from './events.ts';
import { Attachment, RunSummary } from './methods.ts';

/** What the panel needs to know about the set-up, e.g. to show the first-run prompt. */
export const PanelConfig = z.object({
  provider: z.string(),
  model: z.string(),
  approval: ApprovalMode,
  hasKey: z.boolean(),
  baseUrl: z.string().optional(),
  /** 'bwrap' | 'none' | 'unknown' until the first run says. */
  sandbox: z.string(),
  trusted: z.boolean(),
  /** The user's own agio.allowUnsandboxedFullAuto (a workspace's value never counts). */
  unsandboxedFullAuto: z.boolean().optional(),
});
export type PanelConfig = z.infer<typeof PanelConfig>;

export const ToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('config'), config: PanelConfig }),
  /** New events of one run, in seq order; `fromSeq` is the first one's seq, so gaps are detectable. */
  z.object({
    type: z.literal('events'),
    runId: z.string(),
    fromSeq: z.number().int().positive(),
    events: z.array(AgioEvent),
  }),
  /** The whole stored log of a run (replay / reopening the panel), replacing what the panel had. */
  z.object({ type: z.literal('reset'), runId: z.string(), events: z.array(AgioEvent) }),
  /** Past runs of this workspace, newest first. */
  z.object({ type: z.literal('runs'), runs: z.array(RunSummary) }),
  /** Which run the chat shows. */
  z.object({ type: z.literal('focusRun'), runId: z.string().nullable() }),
  /** Approvals still waiting for an answer (survive closing the panel and reloading the window). */
  z.object({ type: z.literal('pendingApprovals'), callIds: z.array(z.string()) }),
  z.object({
    type: z.literal('serverState'),
    state: z.enum(['stopped', 'starting', 'running', 'crashed', 'crash_loop']),
    message: z.string().optional(),
  }),
  /** A command asked the panel to do something (e.g. prefill the input from "Ask About Selection"). */
  z.object({ type: z.literal('prefill'), text: z.string() }),
  /** Answer to `searchFiles`: workspace files and folders matching the query, best first. */
  z.object({
    type: z.literal('fileResults'),
    requestId: z.number().int(),
    items: z.array(z.object({ path: z.string(), kind: z.enum(['file', 'folder']) })),
  }),
  z.object({ type: z.literal('showTab'), tab: z.enum(['chat', 'events', 'metrics', 'history']) }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export const FromWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** `attachments`: the @-mentions picked in the input; the client fills in what only the editor knows. */
  z.object({ type: z.literal('startTask'), task: z.string().min(1), attachments: z.array(Attachment).optional() }),
  /** The @file picker's query, as the user types; answered by `fileResults` with the same requestId. */
  z.object({ type: z.literal('searchFiles'), requestId: z.number().int(), query: z.string() }),
  /** Open what a context chip points at (a file, folder, URL, or the text the model got). */
  z.object({ type: z.literal('openContext'), runId: z.string(), kind: z.string(), target: z.string().optional() }),
  /** /compact: summarize the running run's older conversation now. */
  z.object({ type: z.literal('compact'), runId: z.string() }),
  z.object({ type: z.literal('cancel'), runId: z.string() }),
  /** The user's answer to the question about `callId`, as the client passes it on to the server. */
  z.object({ type: z.literal('approve'), runId: z.string(), callId: z.string(), ...ApprovalAnswer.shape }),
  z.object({ type: z.literal('openRun'), runId: z.string() }),
  /** Continue an interrupted run from its recorded conversation. */
  z.object({ type: z.literal('resumeRun'), runId: z.string() }),
  z.object({ type: z.literal('listRuns') }),
  /** Put the workspace back to before step `step` of a run (the client shows what would change first). */
  z.object({ type: z.literal('restoreCheckpoint'), runId: z.string(), step: z.number().int().positive() }),
  z.object({ type: z.literal('exportRun'), runId: z.string() }),
  z.object({ type: z.literal('openDiff'), runId: z.string(), callId: z.string() }),
  z.object({ type: z.literal('setKey') }),
  z.object({ type: z.literal('useLocalEndpoint') }),
  z.object({ type: z.literal('restartServer') }),
  /** Restricted Mode's "Trust Folder…": the client opens VS Code's own trust editor (workbench.trust.manage). */
  z.object({ type: z.literal('manageTrust') }),
  /** Open VS Code's Settings filtered by `query` (e.g. agio.models for an unknown model's window and prices). */
  z.object({ type: z.literal('openSettings'), query: z.string() }),
]);
export type FromWebview = z.infer<typeof FromWebview>;
