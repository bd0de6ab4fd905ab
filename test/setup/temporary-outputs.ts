/**
 * Every test file writes what CDK synthesizes into one temporary directory of its own, removed when the
 * file is done: an `App` without an `outdir` would otherwise leave a `cdk.out*` directory in /tmp for
 * each synth (CDK reads CDK_OUTDIR before making one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const outdir = mkdtempSync(join(tmpdir(), 'sentiment-test-cdk-'));
process.env.CDK_OUTDIR = outdir;

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});
