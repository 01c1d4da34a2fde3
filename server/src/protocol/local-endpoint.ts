// When a run needs an API key: the one rule the editor checks before it asks for a run and the server
// applies when it resolves one. Local OpenAI-compatible servers (Ollama, LM Studio, vLLM) take none.
import type { Provider } from './events.ts';

/** On this machine: localhost, [::1] or 127.0.0.0/8 as an address (127.0.0.1.example.com is not). */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}

/** Whether a run with these settings needs a key it has not got. */
export function needsApiKey(provider: Provider, baseUrl: string | undefined, hasKey: boolean): boolean {
  return !hasKey && !(provider === 'openai' && isLoopbackUrl(baseUrl));
}
