// Which answers an approval card offers. "Always allow" saves a rule, which the policy refuses for
// calls that ask every time (protected files, credentials, commands it cannot analyse): offering it
// there would only mislead. approval_request carries no explicit flag yet (the server's ApprovalQuestion
// has `repeatable`), so this reads the policy's stated reason, matching the engine's wording.
import type { ApprovalInfo } from './types.ts';

const ASKS_EVERY_TIME = [
  /always asks/i,
  /asks every time/i,
  /cannot be analysed/i,
  /cannot prove/i,
  /^path rule "ask /i,
  /^network rule "ask /i,
];

export function canAlwaysAllow(approval: Pick<ApprovalInfo, 'reason' | 'details' | 'repeatable'>): boolean {
  // The server says so explicitly; reading the reason is only for logs written before it did.
  if (approval.repeatable !== undefined) return approval.repeatable;
  const texts = [approval.reason, ...approval.details];
  return !texts.some((t) => ASKS_EVERY_TIME.some((re) => re.test(t)));
}
