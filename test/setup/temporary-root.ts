/**
 * Global setup of a test run: one temporary directory for the whole run, which `TMPDIR` names while the
 * run lasts, removed when it ends. Test workers and everything they spawn inherit `TMPDIR`, so whatever
 * the tests and the libraries they drive write to `os.tmpdir()` lands in it, and goes away with it even
 * when a test file dies before its own `afterAll` runs (a file that fails to import, a worker that is
 * stopped). test/setup/temporary-outputs.ts gives each test file a directory of its own inside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates the run's directory and points `TMPDIR` at it; returns the teardown that removes it. */
export default function setup(): () => void {
  const saved = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'sentiment-test-run-'));
  process.env.TMPDIR = root;
  return () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(root, { recursive: true, force: true });
  };
}
