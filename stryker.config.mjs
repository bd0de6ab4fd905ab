/**
 * Mutation testing of the encoder and the middlewares (`npm run test:mutation`), with the Vitest runner as
 * Middy does. The run fails below 80% (`thresholds.break`). Reports: reports/mutation/ (html, json).
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  // Vitest transforms the TypeScript itself; no type-checking pass per mutant (tsc runs in `npm test`).
  checkers: [],
  // Stryker rewrites the sandbox's tsconfig (extends/references) through TypeScript's JS API, which
  // TypeScript 7 (the native compiler) no longer has. Ours has neither extends nor references, so point
  // the rewrite at a file that does not exist: tsconfig.json is copied to the sandbox as is.
  tsconfigFile: 'tsconfig.stryker-no-rewrite.json',
  // Not the AssemblyScript source: the tests run its committed compiled module, so a mutant there would
  // change nothing they run (test/encoder/review-counter.test.ts checks the module matches the source).
  mutate: [
    'src/encoder/**/*.ts',
    '!src/encoder/**/*.generated.ts',
    '!src/encoder/**/*.d.ts',
    '!src/encoder/assembly/**',
    'middlewares/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  incremental: false,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
