/**
 * The checks that need the sentence polarity data (`npm run test:data`): test/data/**. The data is not part
 * of the project; `SENTENCE_POLARITY_FILE` names it (see README, "The default model's data"), and the
 * npm script checks it is there first, so that without it the command prints what the data is and how to
 * get it, not a stack trace. Everything else is the project's own `vitest.config.ts`.
 */
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/data/**/*.test.ts'],
    exclude: configDefaults.exclude,
  },
});
