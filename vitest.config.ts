import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The differential and integration suites spawn python3 and local servers: give them room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
