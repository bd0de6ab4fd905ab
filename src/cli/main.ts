#!/usr/bin/env node
/**
 * Entry file of the `sentiment-lambda` command (from the sources: `npm run classify`, `npm run encode`,
 * `npm run vocabulary`; installed: `lib/src/cli/main.js`, the package's `bin`): it runs the program and sets
 * the exit code, nothing else. Everything testable lives in `run.ts` and the command modules.
 */
import { enableCompileCache } from 'node:module';

// Before the program's modules load (hence the imports below are dynamic): Node keeps their compiled
// code on disk (in the temporary directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so every later
// run, and every `classify` worker thread, starts in a fraction of the time.
enableCompileCache();
const { PROGRAM } = await import('./io.ts');
const { runCli } = await import('./run.ts');

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    // Not process.exit(): pending output to a pipe is flushed before Node exits on its own.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${PROGRAM}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
