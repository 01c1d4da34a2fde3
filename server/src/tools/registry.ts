// The tool set the model sees, in a fixed order (a stable tool list keeps provider prompt caches
// warm), their JSON Schemas, and argument parsing that turns bad input into one fixable message.
import type { ToolSpec } from '../models/types.ts';
import { z } from 'zod';
import { bashTool } from './bash.ts';
import { editTool } from './edit.ts';
import { fetchTool } from './fetch.ts';
import { findTool } from './find.ts';
import { grepTool } from './grep.ts';
import { lsTool } from './ls.ts';
import { readTool } from './read.ts';
import type { Tool } from './types.ts';
import { writeTool } from './write.ts';

export const ALL_TOOLS: readonly Tool[] = [
  lsTool,
  findTool,
  grepTool,
  readTool,
  writeTool,
  editTool,
  bashTool,
  fetchTool,
];

export function getTool(name: string, tools: readonly Tool[] = ALL_TOOLS): Tool | undefined {
  return tools.find((t) => t.name === name);
}

export function toolSpecs(tools: readonly Tool[] = ALL_TOOLS): ToolSpec[] {
  return tools.map((t) => {
    const { $schema: _drop, ...parameters } = z.toJSONSchema(t.schema) as Record<string, unknown>;
    return { name: t.name, description: t.description, parameters: dropSafeIntBounds(parameters) };
  });
}

/** zod's .int() adds ±2^53-1 bounds to every integer: noise in the model's context, so drop them. */
function dropSafeIntBounds<T>(node: T): T {
  if (Array.isArray(node)) return node.map(dropSafeIntBounds) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    if (k === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    out[k] = dropSafeIntBounds(v);
  }
  return out as T;
}

/** The tool's own one-line summary of a call recorded as `args` (a logged event's value), or undefined
 * when the tool is unknown or the arguments do not fit its schema. */
export function summarizeCall(name: string, args: unknown, tools: readonly Tool[] = ALL_TOOLS): string | undefined {
  const tool = getTool(name, tools);
  const parsed = tool?.schema.safeParse(args);
  return tool && parsed?.success ? tool.summarize(parsed.data) : undefined;
}

export type ParsedArgs = { ok: true; args: unknown } | { ok: false; error: string };

/** Parse the raw JSON a model sent for `tool` and validate it against the tool's schema. */
export function parseToolArgs(tool: Tool, rawJson: string): ParsedArgs {
  let value: unknown;
  // Some models send nothing at all for a call without arguments.
  const raw = rawJson.trim() === '' ? '{}' : rawJson;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return {
      ok: false,
      error: `Arguments for ${tool.name} are not valid JSON (${(e as Error).message}). Send one JSON object${fieldsHint(tool)}.`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, error: `Arguments for ${tool.name} must be a JSON object${fieldsHint(tool)}, not ${got}.` };
  }
  const res = tool.schema.safeParse(value, { reportInput: true });
  if (res.success) return { ok: true, args: res.data };
  const problems = res.error.issues.map(describeIssue);
  return { ok: false, error: `Invalid arguments for ${tool.name}: ${problems.join('; ')}.` };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'arguments' : `"${formatPath(issue.path)}"`;
  if (issue.code === 'invalid_type') {
    if (!('input' in issue) || issue.input === undefined)
      return `missing required field ${field} (expected ${issue.expected})`;
    return `field ${field} must be ${article(issue.expected)}, got ${describeValue(issue.input)}`;
  }
  return `field ${field}: ${issue.message}`;
}

/** edits[0].old_text, the way the model would write it. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function fieldsHint(tool: Tool): string {
  const shape = (tool.schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? ` with the fields ${Object.keys(shape).join(', ')}` : '';
}
