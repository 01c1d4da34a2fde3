// The one place that decides allow / ask / deny for a tool call. Inputs: the tool's tier, the
// approval mode, workspace trust, whether commands run in a sandbox, the user's rules and what the
// user granted this session. Hard rules come first and nothing below them can relax them.
import type { ApprovalMode } from '../protocol/events.ts';
import type { Tool } from '../tools/types.ts';
import path from 'node:path';
import { hardLinkReason } from '../workspace/hard-links.ts';
import { resolveInWorkspace } from '../workspace/paths.ts';
import { credentialFile, protectedWriteAt } from './protected-paths.ts';
import { commandMatches, commandRuleFor, hostMatches, pathMatches, strongest, type PolicyRules } from './rules.ts';
import { analyzeCommand } from './shell/analyze.ts';
import type { ConcernKind, ShellAnalysis } from './shell/types.ts';

export type Grant =
  | { kind: 'commands'; patterns: string[] }
  | { kind: 'paths'; patterns: string[] }
  | { kind: 'hosts'; hosts: string[] };

export interface PolicyDecision {
  verdict: 'allow' | 'ask' | 'deny';
  reason: string;
  /** The classifier's findings and rule matches behind the verdict. */
  details: string[];
  /** What "allow for session" / "always" would grant; absent when the ask must be repeated every time. */
  grant?: Grant;
  /** Commands only: run with network access (inside the sandbox, network is off otherwise). */
  allowNetwork?: boolean;
}

export interface PolicyContext {
  mode: ApprovalMode;
  trusted: boolean;
  sandboxed: boolean;
  rules: PolicyRules;
  grants: SessionGrants;
  root: string;
  home: string;
  /** The user opted in (per run, or per workspace in their own config) to full-auto running code the
   * workspace controls when there is no sandbox. Never set from a file inside the workspace. */
  unsandboxedFullAuto?: boolean;
}

/** Grants given at approval prompts during this run. */
export class SessionGrants {
  readonly commands: string[] = [];
  readonly paths: string[] = [];
  readonly hosts: string[] = [];
  add(g: Grant): void {
    if (g.kind === 'commands') this.commands.push(...g.patterns);
    else if (g.kind === 'paths') this.paths.push(...g.patterns);
    else this.hosts.push(...g.hosts);
  }
}

/** Findings that always ask, in every mode, sandbox or not, whatever the rules say. */
const NEVER_AUTO: ReadonlySet<ConcernKind> = new Set([
  'protected_path',
  'unknown_targets',
  'credential_read',
  'env_dump',
  'privilege',
  'destructive',
  'dangerous_env',
  'hard_link',
]);
/** Findings no rule can vouch for: what runs is not known, or it reaches outside the workspace. */
const UNPROVEN: ReadonlySet<ConcernKind> = new Set(['unparseable', 'dynamic_command', 'outside_path']);
/** Findings that do not reach outside the workspace by themselves (inner commands are analysed). */
const CONTAINED: ReadonlySet<ConcernKind> = new Set(['writes_files', 'command_substitution']);

const allow = (reason: string, details: string[] = [], extra: Partial<PolicyDecision> = {}): PolicyDecision => ({
  verdict: 'allow',
  reason,
  details,
  ...extra,
});
const ask = (
  reason: string,
  details: string[] = [],
  grant?: Grant,
  extra: Partial<PolicyDecision> = {},
): PolicyDecision => ({ verdict: 'ask', reason, details, ...(grant ? { grant } : {}), ...extra });
const deny = (reason: string, details: string[] = []): PolicyDecision => ({ verdict: 'deny', reason, details });

export async function decide(tool: Tool, args: Record<string, unknown>, ctx: PolicyContext): Promise<PolicyDecision> {
  if (tool.tier !== 'read') {
    if (!ctx.trusted)
      return deny(`the workspace is not trusted: only read tools run (${tool.name} is a ${tool.tier} tool)`);
    if (ctx.mode === 'read-only') return deny(`${tool.tier} tools are not allowed in read-only mode`);
  }
  if (tool.tier === 'exec') return decideCommand(String(args.command ?? ''), ctx);
  if (tool.tier === 'network') return decideUrl(String(args.url ?? ''), ctx);
  return decideFile(tool, typeof args.path === 'string' ? args.path : '.', ctx);
}

function decideFile(tool: Tool, p: string, ctx: PolicyContext): PolicyDecision {
  const r = resolveInWorkspace(ctx.root, p);
  if (!r.ok) return deny(`${r.error} (hard rule: file tools never leave the workspace)`);
  if (tool.tier === 'read') return decideRead(r.rel, ctx);
  const rule = strongest(ctx.rules.paths, (pat) => pathMatches(pat, r.rel));
  const ruleNote = rule ? [`path rule: ${rule.verdict} ${rule.rule}`] : [];
  if (rule?.verdict === 'deny') return deny(`path rule "deny ${rule.rule}" matches ${r.rel}`, ruleNote);
  // A write replaces the file (a new inode), but edit shows the old contents first, and whoever wrote
  // the second name expects it to stay one file: ask either way.
  const linked = hardLinkReason(r.abs, r.rel);
  if (linked) return ask(`${linked}; changing it always asks`, ruleNote);
  const prot = protectedWriteAt(ctx.root, r.rel);
  if (prot) return ask(`${r.rel} is ${prot.what}: changing it always asks, in every mode`, ruleNote);
  if (rule?.verdict === 'ask') return ask(`path rule "ask ${rule.rule}" matches ${r.rel}`, ruleNote);
  if (ctx.mode !== 'ask') return allow(`write tools run inside the workspace in ${ctx.mode} mode`, ruleNote);
  if (rule?.verdict === 'allow') return allow(`path rule "allow ${rule.rule}" matches ${r.rel}`, ruleNote);
  const granted = ctx.grants.paths.find((pat) => pathMatches(pat, r.rel));
  if (granted) return allow(`${r.rel} is covered by "${granted}", allowed for this session`);
  const dir = r.rel.includes('/') ? `${r.rel.slice(0, r.rel.lastIndexOf('/'))}/**` : r.rel;
  return ask(`write tools need approval in ask mode (${r.rel})`, ruleNote, { kind: 'paths', patterns: [dir] });
}

/** Reading the contents of `rel` (workspace-relative, resolved), whichever read tool shows them. */
function decideRead(rel: string, ctx: PolicyContext): PolicyDecision {
  const rule = strongest(ctx.rules.paths, (pat) => pathMatches(pat, rel));
  const ruleNote = rule ? [`path rule: ${rule.verdict} ${rule.rule}`] : [];
  if (rule?.verdict === 'deny') return deny(`path rule "deny ${rule.rule}" matches ${rel}`, ruleNote);
  const cred = credentialFile(rel);
  if (cred) return ask(`${rel} is ${cred.what}: reading credentials always asks`, ruleNote);
  const linked = hardLinkReason(path.join(ctx.root, rel), rel);
  if (linked) return ask(`${linked}; reading it always asks`, ruleNote);
  if (rule?.verdict === 'ask') return ask(`path rule "ask ${rule.rule}" matches ${rel}`, ruleNote);
  return allow(`read tools run in ${ctx.mode} mode`, ruleNote);
}

/**
 * For a call about to run: why showing the contents of a file it comes across (grep's matches in a
 * folder) needs approval, or undefined when read would show them unasked. A search must not be a way
 * around read's approval, so a file read would ask about (or deny) is asked about here too, except
 * the very path the user just approved for this call (grep on `.env`, which asked like read does).
 */
export function readApprovalFor(
  tool: Tool,
  args: Record<string, unknown>,
  decision: PolicyDecision,
  ctx: PolicyContext,
): (rel: string) => string | undefined {
  let approved: string | undefined;
  if (decision.verdict === 'ask' && tool.tier === 'read' && typeof args.path === 'string') {
    const r = resolveInWorkspace(ctx.root, args.path);
    if (r.ok) approved = r.rel;
  }
  return (rel) => {
    if (rel === approved) return undefined;
    const d = decideRead(rel, ctx);
    return d.verdict === 'allow' ? undefined : d.reason;
  };
}

async function decideCommand(command: string, ctx: PolicyContext): Promise<PolicyDecision> {
  const a: ShellAnalysis = await analyzeCommand(command, { root: ctx.root, home: ctx.home });
  const details = a.concerns.map((c) => `${c.kind}: ${c.detail}`);
  const kinds = new Set(a.concerns.map((c) => c.kind));
  // Rules apply to every simple command the line would run, wrappers and substitutions included.
  const matches = a.commands.map((c) => strongest(ctx.rules.commands, (pat) => commandMatches(pat, c.name, c.args)));
  const denied = matches.findIndex((m) => m?.verdict === 'deny');
  if (denied >= 0)
    return deny(`command rule "deny ${matches[denied]!.rule}" matches "${a.commands[denied]!.text}"`, details);
  const never = a.concerns.filter((c) => NEVER_AUTO.has(c.kind));
  if (never.length > 0) return ask(`always asks: ${never.map((c) => c.detail).join('; ')}`, details);
  const asked = matches.findIndex((m) => m?.verdict === 'ask');
  if (asked >= 0)
    return ask(`command rule "ask ${matches[asked]!.rule}" matches "${a.commands[asked]!.text}"`, details, grantFor(a));
  const unproven = a.concerns.filter((c) => UNPROVEN.has(c.kind));
  const covered =
    a.parsed &&
    a.commands.length > 0 &&
    a.commands.every(
      (c, i) =>
        matches[i]?.verdict === 'allow' || ctx.grants.commands.some((pat) => commandMatches(pat, c.name, c.args)),
    );
  const network = kinds.has('network');
  // Unconfined, code the workspace controls (a Makefile, package.json scripts) can do anything the
  // user can: like network use, the workspace's own rules cannot vouch for it.
  const workspaceCode = kinds.has('runs_workspace_code') && !ctx.sandboxed;
  // Network use needs a rule of the user's or a grant: the workspace's own file cannot allow it.
  const workspaceOnly = new Set(ctx.rules.workspaceOnlyCommandAllow ?? []);
  const coveredForNetwork =
    covered &&
    (!(network || workspaceCode) ||
      workspaceOnly.size === 0 ||
      a.commands.every(
        (c) =>
          ctx.rules.commands.allow.some((pat) => !workspaceOnly.has(pat) && commandMatches(pat, c.name, c.args)) ||
          ctx.grants.commands.some((pat) => commandMatches(pat, c.name, c.args)),
      ));
  const networkAsk = () =>
    ask(
      `the command ${network ? 'uses the network' : 'runs code the workspace controls, unconfined'}, which the workspace's own rules (${workspaceOnly.size > 0 ? [...workspaceOnly].join(', ') : 'none'}) cannot allow`,
      details,
      grantFor(a),
      network ? { allowNetwork: true } : {},
    );

  if (ctx.mode === 'full-auto' && ctx.sandboxed) {
    if (!a.parsed) return ask(`cannot be analysed: ${unproven.map((c) => c.detail).join('; ')}`, details);
    if (network && !covered)
      return ask('the command uses the network, which the sandbox blocks unless you allow it', details, grantFor(a), {
        allowNetwork: true,
      });
    if (network && !coveredForNetwork) return networkAsk();
    return allow(
      'full-auto: runs inside the sandbox (workspace writable, .git and the rest read-only, no network)',
      details,
      { allowNetwork: network },
    );
  }
  if (unproven.length > 0)
    return ask(`cannot prove this stays inside the workspace: ${unproven.map((c) => c.detail).join('; ')}`, details);
  if (covered && !coveredForNetwork) return networkAsk();
  if (covered) return allow(ruleReason(a, matches), details, { allowNetwork: network });
  if (ctx.mode === 'full-auto') {
    const optedIn = ctx.unsandboxedFullAuto === true;
    const reaching = a.concerns.filter((c) => !CONTAINED.has(c.kind) && !(optedIn && c.kind === 'runs_workspace_code'));
    if (reaching.length === 0)
      return allow(
        optedIn && kinds.has('runs_workspace_code')
          ? 'full-auto, unsandboxed by your choice (--unsandboxed-full-auto): runs code the workspace controls, unconfined'
          : 'full-auto: the classifier found nothing that reaches outside the workspace (no sandbox)',
        details,
      );
    const code = reaching.filter((c) => c.kind === 'runs_workspace_code');
    if (code.length === reaching.length)
      return ask(
        `full-auto without a sandbox asks before running code the workspace controls, which could do anything you can: ${code.map((c) => c.detail).join('; ')}. Install bubblewrap to run it confined, or opt in with --unsandboxed-full-auto (VS Code: agio.allowUnsandboxedFullAuto)`,
        details,
        grantFor(a),
      );
    return ask(
      `full-auto without a sandbox asks when a command may reach outside the workspace: ${reaching.map((c) => c.detail).join('; ')}`,
      details,
      grantFor(a),
    );
  }
  return ask(`commands need approval in ${ctx.mode} mode`, details, grantFor(a));
}

function decideUrl(url: string, ctx: PolicyContext): PolicyDecision {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return deny(`"${url}" is not a valid URL`);
  }
  const rule = strongest(ctx.rules.network, (pat) => hostMatches(pat, host));
  if (rule?.verdict === 'deny') return deny(`network rule "deny ${rule.rule}" matches ${host}`);
  if (rule?.verdict === 'ask') return ask(`network rule "ask ${rule.rule}" matches ${host}: ${url}`);
  if (rule?.verdict === 'allow') return allow(`network rule "allow ${rule.rule}" matches ${host}`);
  if (ctx.grants.hosts.some((h) => hostMatches(h, host))) return allow(`${host} was allowed for this session`);
  return ask(`first request to ${host} asks (the URL can carry data out): ${url}`, [], {
    kind: 'hosts',
    hosts: [host],
  });
}

function grantFor(a: ShellAnalysis): Grant | undefined {
  if (!a.parsed || a.commands.some((c) => c.name === undefined)) return undefined;
  return { kind: 'commands', patterns: [...new Set(a.commands.map((c) => commandRuleFor(c.name!, c.args)))] };
}

function ruleReason(a: ShellAnalysis, matches: ReadonlyArray<{ rule: string } | undefined>): string {
  const rules = [...new Set(matches.filter((m) => m !== undefined).map((m) => m.rule))];
  return rules.length > 0
    ? `every command is allowed by your rules (${rules.join(', ')})${rules.length < a.commands.length ? ' or for this session' : ''}`
    : 'every command was allowed for this session';
}
