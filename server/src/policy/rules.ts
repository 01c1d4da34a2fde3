// User rules: allow / ask / deny lists for commands, paths and network hosts, from JSON-with-comments
// files: the user's own (~/.config/agio/policy.json), the rules the user granted for this workspace
// by answering "always" (granted-rules.ts, also in the user's config) and the workspace's own
// .agio/policy.json (only when the workspace is trusted). Deny beats ask beats allow, whichever file a
// rule comes from. The workspace's file can tighten freely; what it may allow is bounded (below).
import { homedir } from 'node:os';
import path from 'node:path';
import { readJsoncFile } from '../config/jsonc-file.ts';
import picomatch from 'picomatch';
import { z } from 'zod';
import { grantedRulesFile, readGrantedRules, workspaceKey } from './granted-rules.ts';

const Lists = z.object({
  allow: z.array(z.string()).default([]),
  ask: z.array(z.string()).default([]),
  deny: z.array(z.string()).default([]),
});
export const PolicyFile = z.object({
  commands: Lists.default({ allow: [], ask: [], deny: [] }),
  paths: Lists.default({ allow: [], ask: [], deny: [] }),
  network: Lists.default({ allow: [], ask: [], deny: [] }),
  env: z
    .object({ allow: z.array(z.string()).default([]), secrets: z.array(z.string()).default([]) })
    .default({ allow: [], secrets: [] }),
});
export type PolicyFile = z.infer<typeof PolicyFile>;
export type RuleVerdict = 'allow' | 'ask' | 'deny';

export interface PolicyRules {
  readonly commands: Readonly<Record<RuleVerdict, string[]>>;
  readonly paths: Readonly<Record<RuleVerdict, string[]>>;
  readonly network: Readonly<Record<RuleVerdict, string[]>>;
  readonly envAllow: string[];
  readonly envSecrets: string[];
  /** Command allow rules that only the workspace's own file gives: they never let a line use the
   * network (data would leave on the say-so of a file that came with the repository). */
  readonly workspaceOnlyCommandAllow?: readonly string[];
  /** Problems with the files (unreadable, bad JSON, wrong shape, rules ignored): the rest still applies. */
  readonly warnings: string[];
  /** Where an "always" answer is written: the user's granted-rules file, under this workspace's key. */
  readonly grants: { readonly file: string; readonly workspace: string };
}

export function userPolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'agio', 'policy.json');
}
export function workspacePolicyFile(root: string): string {
  return path.join(root, '.agio', 'policy.json');
}

/** Loads the user's rules, those granted for this workspace, and the workspace's own file only when
 * it is trusted. Read once per run. */
export function loadRules(root: string, trusted: boolean, env: NodeJS.ProcessEnv = process.env): PolicyRules {
  // Built fresh: zod hands out its `.default()` objects by reference, so merging into a parsed
  // default would leak rules from one load into the next.
  const lists = () => ({ allow: [] as string[], ask: [] as string[], deny: [] as string[] });
  const merged: PolicyFile = { commands: lists(), paths: lists(), network: lists(), env: { allow: [], secrets: [] } };
  const warnings: string[] = [];
  const add = (data: PolicyFile) => {
    for (const group of ['commands', 'paths', 'network'] as const) {
      for (const v of ['allow', 'ask', 'deny'] as const) merged[group][v].push(...data[group][v]);
    }
    merged.env.allow.push(...data.env.allow);
    merged.env.secrets.push(...data.env.secrets);
  };

  const user = readJsoncFile(userPolicyFile(env), PolicyFile, 'policy');
  if ('data' in user) add(user.data);
  else if (user.warning) warnings.push(user.warning);

  const grants = { file: grantedRulesFile(env), workspace: workspaceKey(root) };
  const granted = readGrantedRules(grants.file, grants.workspace);
  if ('warning' in granted) {
    if (granted.warning) warnings.push(granted.warning);
  } else if (granted.entry !== undefined) {
    const parsed = PolicyFile.safeParse(granted.entry);
    if (parsed.success) add(parsed.data);
    else
      warnings.push(`ignoring the rules for ${grants.workspace} in ${grants.file}: ${z.prettifyError(parsed.error)}`);
  }

  let workspaceOnlyCommandAllow: string[] = [];
  if (trusted) {
    const file = workspacePolicyFile(root);
    const project = readJsoncFile(file, PolicyFile, 'policy');
    if ('data' in project) {
      const bounded = boundWorkspaceRules(project.data, file, grants.file);
      warnings.push(...bounded.warnings);
      workspaceOnlyCommandAllow = bounded.data.commands.allow.filter((r) => !merged.commands.allow.includes(r));
      add(bounded.data);
    } else if (project.warning) warnings.push(project.warning);
  }
  warnings.push(...inertWildcards(merged.commands));
  return {
    commands: merged.commands,
    paths: merged.paths,
    network: merged.network,
    envAllow: merged.env.allow,
    envSecrets: merged.env.secrets,
    warnings,
    grants,
    ...(workspaceOnlyCommandAllow.length > 0 ? { workspaceOnlyCommandAllow } : {}),
  };
}

/**
 * What a workspace's own policy file may do. Its deny and ask rules all apply. Its command and path
 * allows apply as before: they stay inside the hard rules (every simple command covered, nothing that
 * reaches outside the workspace or touches a protected or credentials file). Two kinds of allow reach
 * beyond the workspace with no hard rule behind them, so a file that came with a repository cannot
 * give them: hosts to send requests to unasked (a URL carries data out), and secret variables handed
 * to commands. The user can still grant both, with "always" or in their own policy file.
 */
function boundWorkspaceRules(
  data: PolicyFile,
  file: string,
  grantsFile: string,
): { data: PolicyFile; warnings: string[] } {
  const warnings: string[] = [];
  if (data.network.allow.length > 0) {
    warnings.push(
      `${file}: network.allow (${data.network.allow.join(', ')}) is ignored: a workspace's own rules cannot let requests go to a host unasked. Answer "always" when asked to keep it for this workspace in ${grantsFile}, or add it to your own policy.json`,
    );
  }
  if (data.env.secrets.length > 0) {
    warnings.push(
      `${file}: env.secrets (${data.env.secrets.join(', ')}) is ignored: a workspace's own rules cannot hand your secrets to commands. List them in your own policy.json if this project needs them`,
    );
  }
  return { data: { ...data, network: { ...data.network, allow: [] }, env: { ...data.env, secrets: [] } }, warnings };
}

/** The strongest rule matching any of `items`: deny > ask > allow; undefined when none matches. */
export function strongest(
  lists: Readonly<Record<RuleVerdict, string[]>>,
  matches: (pattern: string) => boolean,
): { verdict: RuleVerdict; rule: string } | undefined {
  for (const verdict of ['deny', 'ask', 'allow'] as const) {
    const rule = lists[verdict].find(matches);
    if (rule !== undefined) return { verdict, rule };
  }
  return undefined;
}

/**
 * A command rule is words; a final `*` matches any further arguments (or none). The program is
 * compared by its base name, so a deny of `rm` also catches `/bin/rm`.
 */
/** Command rules whose `*` sits inside a word (`touch marker*`): only a last word of `*` is a
 * wildcard, so such a rule matches nothing but that literal text. A deny or ask rule that silently
 * never applies is worse than a warning. */
function inertWildcards(commands: PolicyFile['commands']): string[] {
  const out: string[] = [];
  for (const verdict of ['deny', 'ask', 'allow'] as const) {
    for (const rule of commands[verdict]) {
      const words = rule.trim().split(/\s+/);
      if (words.some((w, i) => w.includes('*') && !(w === '*' && i === words.length - 1))) {
        out.push(
          `command rule "${verdict} ${rule}": a * is a wildcard only as the last word ("npm test *"), so this rule matches only the literal text`,
        );
      }
    }
  }
  return out;
}

export function commandMatches(pattern: string, name: string | undefined, args: readonly string[]): boolean {
  if (name === undefined) return false;
  const words = pattern.trim().split(/\s+/);
  const wildcardTail = words[words.length - 1] === '*';
  const fixed = wildcardTail ? words.slice(0, -1) : words;
  const actual = [path.basename(name), ...args];
  if (fixed.length === 0) return false;
  if (wildcardTail ? actual.length < fixed.length : actual.length !== fixed.length) return false;
  return fixed.every((w, i) => (i === 0 ? path.basename(w) === actual[0] : w === actual[i]));
}

export function pathMatches(pattern: string, rel: string): boolean {
  return picomatch(pattern, { dot: true })(rel);
}

/** Hosts match exactly, or `*.example.com` matches any subdomain (not example.com itself). */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) : p === h;
}

/** The rule an "always" answer stores for a command: program and subcommand, never the arguments
 * (which may hold secrets or one-off paths), e.g. `npm test -- --grep x` → `npm test *`. */
export function commandRuleFor(name: string, args: readonly string[]): string {
  const sub = args[0];
  const base = path.basename(name);
  return sub !== undefined && /^[a-z][\w:.-]*$/i.test(sub) ? `${base} ${sub} *` : `${base} *`;
}
