// Drivers are registered by wire protocol; each is loaded only when a run asks for it.
import type { Provider } from '../protocol/events.ts';
import type { DriverOptions, ModelDriver } from './types.ts';

export async function createDriver(provider: Provider, opts: DriverOptions): Promise<ModelDriver> {
  if (provider === 'anthropic') return (await import('./anthropic-driver.ts')).createAnthropicDriver(opts);
  return (await import('./openai-driver.ts')).createOpenAIDriver(opts);
}
