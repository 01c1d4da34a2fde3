// What the policy decides across the whole integration suite, compared between two builds: which tool
// calls ran without asking before and ask (or are denied) now. Collect each side by running the
// existing integration tests with AGIO_DECISIONS_OUT set (test/integration/helpers.ts appends one
// line per tool call of every --json run), then compare:
//   AGIO_DECISIONS_OUT=/tmp/before.jsonl npm run test:integration   (on the old build)
//   AGIO_DECISIONS_OUT=/tmp/after.jsonl npm run test:integration    (on the new build, same test files)
//   npx node bench/policy-decisions.ts /tmp/before.jsonl /tmp/after.jsonl
import { readFileSync } from 'node:fs';

interface Decision {
  file: string;
  tool: string;
  summary: unknown;
  verdict: string;
  reason: string;
}

const read = (f: string): Decision[] =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Decision);

const key = (d: Decision): string =>
  `${d.file} · ${d.tool} ${typeof d.summary === 'string' ? d.summary : JSON.stringify(d.summary)}`;

/** Each call's verdicts, in the order they were made, by file, tool and summary. */
function byCall(ds: Decision[]): Map<string, Decision[]> {
  const m = new Map<string, Decision[]>();
  for (const d of ds) m.set(key(d), [...(m.get(key(d)) ?? []), d]);
  return m;
}

const [beforeFile, afterFile] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: policy-decisions.ts BEFORE.jsonl AFTER.jsonl\n');
  process.exit(2);
}
const before = byCall(read(beforeFile));
const after = byCall(read(afterFile));
const count = (m: Map<string, Decision[]>, v: string): number =>
  [...m.values()].flat().filter((d) => d.verdict === v).length;
console.log(
  `calls: ${[...before.values()].flat().length} before, ${[...after.values()].flat().length} after; ` +
    `allowed unasked: ${count(before, 'allow')} before, ${count(after, 'allow')} after`,
);
let tighter = 0;
let looser = 0;
for (const [k, was] of before) {
  const now = after.get(k) ?? [];
  const allowedBefore = was.filter((d) => d.verdict === 'allow').length;
  const allowedNow = now.filter((d) => d.verdict === 'allow').length;
  if (allowedNow < allowedBefore) {
    tighter++;
    const why = now.find((d) => d.verdict !== 'allow');
    console.log(`now asks: ${k}\n    ${why ? `${why.verdict}: ${why.reason}` : '(no longer made)'}`);
  } else if (allowedNow > allowedBefore) {
    looser++;
    console.log(`now runs unasked: ${k}`);
  }
}
console.log(`${tighter} call(s) tighter, ${looser} looser`);
