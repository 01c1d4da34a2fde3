// Reads a JSON-with-comments settings file against a zod schema. A missing file is not a problem; a
// broken one is reported as a warning and ignored, so one bad file never stops a run.
import { readFileSync } from 'node:fs';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';

export function readJsoncFile<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
): { data: z.infer<S> } | { warning: string | undefined } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { warning: code === 'ENOENT' ? undefined : `could not read ${what} ${file}: ${(err as Error).message}` };
  }
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const e = errors[0]!;
    return { warning: `ignoring ${what} ${file}: ${printParseErrorCode(e.error)} at offset ${e.offset}` };
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) return { warning: `ignoring ${what} ${file}: ${z.prettifyError(parsed.error)}` };
  return { data: parsed.data };
}
