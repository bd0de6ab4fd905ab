#!/usr/bin/env node
/**
 * Entry file of the `sentiment-lambda` command (run by `node src/cli/main.ts`, and bundled to
 * `dist/cli.mjs`): it runs the program and sets the exit code, nothing else. Everything testable
 * lives in `run.ts` and the command modules.
 */
import { PROGRAM } from './io.ts';
import { runCli } from './run.ts';

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
