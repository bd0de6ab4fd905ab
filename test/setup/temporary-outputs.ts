/**
 * Every test file gets a temporary directory of its own, removed when the file is done, so that a test
 * run leaves nothing in the machine's temporary directory:
 *
 * - `TMPDIR` points into it, so `os.tmpdir()` in the file and in what it drives (libraries, and the
 *   processes it spawns: Python's `tempfile`, Chromium, npm) writes there. Tests still remove what they
 *   create; this catches what a library leaves behind on purpose or when a test fails half-way.
 * - `CDK_OUTDIR` too: an `App` without an `outdir` would otherwise leave a `cdk.out*` directory for each
 *   synth (CDK reads CDK_OUTDIR before making one).
 *
 * The directory is made inside the run's (test/setup/temporary-root.ts), which goes at the end of the run
 * if this file's `afterAll` never runs. That `afterAll` is registered before the test file's own hooks,
 * so it runs after them (Vitest runs `after` hooks in reverse order): servers and browsers are closed by then.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const saved = { TMPDIR: process.env.TMPDIR, CDK_OUTDIR: process.env.CDK_OUTDIR };
const root = mkdtempSync(join(tmpdir(), 'sentiment-test-'));
const temporary = join(root, 'tmp');
const cdkOut = join(root, 'cdk.out');
mkdirSync(temporary);
mkdirSync(cdkOut);
process.env.TMPDIR = temporary;
process.env.CDK_OUTDIR = cdkOut;

afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(root, { recursive: true, force: true });
});
