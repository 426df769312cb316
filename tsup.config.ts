import { defineConfig } from 'tsup';

// One build for every entry point: each subpath in package.json "exports" is an entry here.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'postgres/index': 'src/adapters/postgres/index.ts',
    'whatsapp/index': 'src/adapters/whatsapp/index.ts',
    'inbox/index': 'src/inbox/index.ts',
    'react/index': 'src/react/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
  target: 'es2022',
  platform: 'neutral',
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['vitest', 'react', 'pg', '@electric-sql/pglite'],
});
