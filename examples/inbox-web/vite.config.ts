import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The page imports the library by its published names; here they point at the sources, so the
// page always runs the code of this checkout without a library build first.
const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: {
      'livechat-engine/inbox': src('inbox/index.ts'),
      'livechat-engine/react': src('react/index.ts'),
      'livechat-engine': src('index.ts'),
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  // `npx vite examples/inbox-web` during development: the API comes from a running server.
  server: { proxy: { '/api': process.env['INBOX_API'] ?? 'http://127.0.0.1:3000' } },
  logLevel: 'warn',
});
