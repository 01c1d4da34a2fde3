// The models an OpenAI-compatible endpoint serves (`GET {baseUrl}/models`: Ollama, LM Studio, vLLM and
// OpenAI itself answer it), so the model box offers what is really there instead of a guess.
import { z } from 'zod';

const ModelList = z.object({ data: z.array(z.object({ id: z.string() })) });

/** The endpoint's model ids, sorted; undefined when it cannot be asked or answers something else. */
export async function listEndpointModels(
  baseUrl: string,
  apiKey?: string,
  timeoutMs = 3000,
): Promise<string[] | undefined> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return undefined;
    const parsed = ModelList.safeParse(await res.json());
    return parsed.success ? [...new Set(parsed.data.data.map((m) => m.id))].sort() : undefined;
  } catch {
    return undefined;
  }
}
