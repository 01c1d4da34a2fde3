// Shared by the tool tests: a fresh workspace folder per test and a ToolContext on the disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { readApprovalFor, SessionGrants, type PolicyContext } from '../../../server/src/policy/engine.ts';
import { readTool } from '../../../server/src/tools/read.ts';
import type { Tool, ToolContext, ToolOutcome } from '../../../server/src/tools/types.ts';
import { DiskFiles } from '../../../server/src/workspace/disk-files.ts';
import { nodeNetwork, nodeProcesses } from '../../../server/src/workspace/node-processes.ts';

/** A new empty folder under the OS temp dir (realpath'd, as the runner gives tools), removed after the test. */
export function tempDir(t: TestContext, prefix = 'agio-tools-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Create files from a map of relative path → content; parents are created. */
export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

export function makeCtx(root: string, extra: Partial<ToolContext> = {}): ToolContext {
  return {
    root,
    files: new DiskFiles(),
    processes: nodeProcesses,
    network: nodeNetwork,
    signal: new AbortController().signal,
    env: process.env,
    // The policy engine's answer for a call it allowed, in a run without path rules.
    readNeedsApproval: readApprovalFor(readTool, {}, { verdict: 'allow', reason: '', details: [] }, policyCtx(root)),
    ...extra,
  };
}

/** A policy context with no rules of the user's: what a fresh install decides. */
export function policyCtx(
  root: string,
  paths: Partial<Record<'allow' | 'ask' | 'deny', string[]>> = {},
): PolicyContext {
  const none = { allow: [], ask: [], deny: [] };
  return {
    mode: 'ask',
    trusted: true,
    sandboxed: false,
    rules: {
      commands: none,
      paths: { ...none, ...paths },
      network: none,
      envAllow: [],
      envSecrets: [],
      warnings: [],
      grants: { file: '/dev/null', workspace: '/nowhere' },
    },
    grants: new SessionGrants(),
    root,
    home: os.homedir(),
  };
}

/** Run a tool the way the runner does: parse (so defaults and validation apply) then execute. */
export async function call<S extends Tool['schema']>(
  tool: Tool<S>,
  args: unknown,
  ctx: ToolContext,
): Promise<ToolOutcome> {
  const parsed = tool.schema.parse(args);
  return tool.execute(parsed, ctx);
}
