/** Shared by the CLI tests: in-memory streams, the spawned program, python3's availability. */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { CliIO } from '../../src/cli/io.ts';

/** The entry file, as `npm run encode` runs it. */
export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Whether `python3` runs here (it does on the dev machines and in CI); tests then compare with it too. */
export const HAS_PYTHON3 = spawnSync('python3', ['--version']).status === 0;

/** A Writable that keeps every chunk it is given, as separate writes. */
export class Sink extends Writable {
  readonly chunks: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString('utf8'));
    callback();
  }

  /** Everything written so far. */
  text(): string {
    return this.chunks.join('');
  }
}

/** Streams for a command: `input` on stdin, and sinks for stdout and stderr. */
export function memoryIO(input: string | Buffer | readonly (string | Buffer)[] = ''): {
  io: CliIO;
  stdout: Sink;
  stderr: Sink;
} {
  const chunks = typeof input === 'string' || Buffer.isBuffer(input) ? [input] : input;
  const stdout = new Sink();
  const stderr = new Sink();
  const stdin = Readable.from(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
  return { io: { stdin, stdout, stderr }, stdout, stderr };
}

const temporaryDirectories: string[] = [];
// Registered when a test file imports this module: its directories go when the file is done.
afterAll(() => {
  for (const dir of temporaryDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory holding `files` (name -> content), removed when the test file is done. */
export function tempDirWith(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentiment-cli-'));
  temporaryDirectories.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Runs the entry file, src/cli/main.ts, with `args` as `npm run encode` and the others do, with `input` on stdin. */
export function runMain(args: readonly string[], input = '', cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN, ...args], { input, cwd, encoding: 'utf8', timeout: 30_000 });
}
