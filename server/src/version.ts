// The bundle gets the version inlined by esbuild (`define`); running from source reads package.json.
import { readFileSync } from 'node:fs';

declare const __AGIO_VERSION__: string | undefined;

export const AGIO_VERSION: string =
  typeof __AGIO_VERSION__ === 'string'
    ? __AGIO_VERSION__
    : (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
