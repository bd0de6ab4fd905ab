/**
 * The tests Stryker runs against each mutant (`npm run test:mutation`, see stryker.config.mjs): the suites
 * that exercise the encoder and the middlewares. The differential suite is left out: it spawns python3 on
 * 20,000 reviews (several seconds per mutant); the golden fixtures it was generated with, and the encoder's
 * own tests, hold the encoder to the same oracle here.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/encoder/**/*.test.ts',
      'test/middlewares/**/*.test.ts',
      'test/pipeline/**/*.test.ts',
      'test/schemas/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'test/encoder/differential.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
