// Decides allow / ask / deny for a tool call from its risk tier and the approval mode. Hard rules
// that no mode relaxes (paths confined to the workspace) are enforced in the tools themselves, below
// this layer, so a mode can never switch them off.
import type { ApprovalMode, RiskTier } from '../protocol/events.ts';

export type PolicyVerdict = { verdict: 'allow' | 'ask' | 'deny'; reason: string };

const TABLE: Record<ApprovalMode, Record<RiskTier, 'allow' | 'ask' | 'deny'>> = {
  'read-only': { read: 'allow', write: 'deny', exec: 'deny', network: 'deny' },
  ask: { read: 'allow', write: 'ask', exec: 'ask', network: 'ask' },
  'auto-edit': { read: 'allow', write: 'allow', exec: 'ask', network: 'ask' },
  'full-auto': { read: 'allow', write: 'allow', exec: 'allow', network: 'allow' },
};

export function decide(mode: ApprovalMode, tier: RiskTier): PolicyVerdict {
  const verdict = TABLE[mode][tier];
  const reason =
    verdict === 'allow'
      ? `${tier} tools run without asking in ${mode} mode`
      : verdict === 'ask'
        ? `${tier} tools need approval in ${mode} mode`
        : `${tier} tools are not allowed in ${mode} mode`;
  return { verdict, reason };
}

/** Grants the user gave during this session ("allow for session" / "always"), per tool. */
export class SessionGrants {
  private readonly tools = new Set<string>();
  grant(tool: string): void {
    this.tools.add(tool);
  }
  has(tool: string): boolean {
    return this.tools.has(tool);
  }
}
