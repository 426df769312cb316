import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Builds the Live Chat page into `examples/inbox-web/dist` with this checkout's sources. */
export async function buildPage(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)), logLevel: 'warn' });
}
