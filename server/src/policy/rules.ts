// User rules: allow / ask / deny lists for commands, paths and network hosts, from a JSON-with-comments
// file per user (~/.config/agio/policy.json) and per workspace (.agio/policy.json, only when the
// workspace is trusted). Deny beats ask beats allow, whichever file a rule comes from.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { applyEdits, modify, parse as parseJsonc } from 'jsonc-parser';
import { readJsoncFile } from '../config/jsonc-file.ts';
import picomatch from 'picomatch';
import { z } from 'zod';

const Lists = z.object({
  allow: z.array(z.string()).default([]),
  ask: z.array(z.string()).default([]),
  deny: z.array(z.string()).default([]),
});
export const PolicyFile = z.object({
  commands: Lists.default({ allow: [], ask: [], deny: [] }),
  paths: Lists.default({ allow: [], ask: [], deny: [] }),
  network: Lists.default({ allow: [], ask: [], deny: [] }),
  env: z.object({ allow: z.array(z.string()).default([]), secrets: z.array(z.string()).default([]) }).default({ allow: [], secrets: [] }),
});
export type PolicyFile = z.infer<typeof PolicyFile>;
export type RuleVerdict = 'allow' | 'ask' | 'deny';

export interface PolicyRules {
  readonly commands: Readonly<Record<RuleVerdict, string[]>>;
  readonly paths: Readonly<Record<RuleVerdict, string[]>>;
  readonly network: Readonly<Record<RuleVerdict, string[]>>;
  readonly envAllow: string[];
  readonly envSecrets: string[];
  /** Problems with the files (unreadable, bad JSON, wrong shape): the rest still applies. */
  readonly warnings: string[];
  /** Where an "always" answer is written. */
  readonly writableFile: string;
}

export function userPolicyFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), 'agio', 'policy.json');
}
export function workspacePolicyFile(root: string): string {
  return path.join(root, '.agio', 'policy.json');
}

/** Loads the user's rules, and the workspace's only when it is trusted. Read once per run. */
export function loadRules(root: string, trusted: boolean, env: NodeJS.ProcessEnv = process.env): PolicyRules {
  const files = [userPolicyFile(env), ...(trusted ? [workspacePolicyFile(root)] : [])];
  // Built fresh: zod hands out its `.default()` objects by reference, so merging into a parsed
  // default would leak rules from one load into the next.
  const lists = () => ({ allow: [] as string[], ask: [] as string[], deny: [] as string[] });
  const merged: PolicyFile = { commands: lists(), paths: lists(), network: lists(), env: { allow: [], secrets: [] } };
  const warnings: string[] = [];
  for (const file of files) {
    const loaded = readJsoncFile(file, PolicyFile, 'policy');
    if ('warning' in loaded) {
      if (loaded.warning) warnings.push(loaded.warning);
      continue;
    }
    for (const group of ['commands', 'paths', 'network'] as const) {
      for (const v of ['allow', 'ask', 'deny'] as const) merged[group][v].push(...loaded.data[group][v]);
    }
    merged.env.allow.push(...loaded.data.env.allow);
    merged.env.secrets.push(...loaded.data.env.secrets);
  }
  return {
    commands: merged.commands, paths: merged.paths, network: merged.network, envAllow: merged.env.allow,
    envSecrets: merged.env.secrets, warnings, writableFile: trusted ? workspacePolicyFile(root) : userPolicyFile(env),
  };
}

/** The strongest rule matching any of `items`: deny > ask > allow; undefined when none matches. */
export function strongest(lists: Readonly<Record<RuleVerdict, string[]>>, matches: (pattern: string) => boolean): { verdict: RuleVerdict; rule: string } | undefined {
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

/** Appends rules to a policy file, keeping the user's comments and formatting. */
export function addRules(file: string, group: 'commands' | 'paths' | 'network', verdict: RuleVerdict, rules: string[]): void {
  let text = '{\n  // Agio policy rules: see the README ("Rules file").\n}\n';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // a new file
  }
  const current = (parseJsonc(text, [], { allowTrailingComma: true }) ?? {}) as Partial<Record<string, Partial<Record<RuleVerdict, string[]>>>>;
  const existing = current[group]?.[verdict] ?? [];
  const fresh = rules.filter((r) => !existing.includes(r));
  if (fresh.length === 0) return;
  const edits = modify(text, [group, verdict], [...existing, ...fresh], { formattingOptions: { insertSpaces: true, tabSize: 2 } });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, applyEdits(text, edits));
}
