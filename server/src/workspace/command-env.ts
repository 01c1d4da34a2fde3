// The environment commands run with. Provider keys never reach a command the model asked for.
// (The full allowlist and secret-name rules come with the safety policy.)
const PROVIDER_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AGIO_API_KEY'];

export function commandEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of PROVIDER_KEYS) delete out[k];
  return out;
}
