import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The package's own name (`import ... from 'sentiment-lambda'`, in examples/) resolves to its TypeScript
 * sources, through the `exports` condition that tsconfig.json sets for the type checker too. Only the
 * SSR (Node) resolution needs it; `node` keeps dependencies on the builds Node itself would load.
 */
const SOURCE_CONDITION = '@sentiment-lambda/source';

export default defineConfig({
  ssr: { resolve: { conditions: [SOURCE_CONDITION], externalConditions: [SOURCE_CONDITION] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The checks that need the sentence polarity data, which a clone does not have: `npm run test:data`.
    exclude: [...configDefaults.exclude, 'test/data/**'],
    // Temporary files: one directory a run, one a test file inside it, both removed (see test/setup/).
    globalSetup: ['test/setup/temporary-root.ts'],
    setupFiles: ['test/setup/temporary-outputs.ts'],
    // The differential and integration suites spawn python3 and local servers: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
