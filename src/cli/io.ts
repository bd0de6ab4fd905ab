/**
 * What every `sentiment-lambda` command shares: its streams, its exit codes, file reading with
 * messages a person can act on, and writing to an output that may fill up or fail.
 */
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { fileErrorReason } from '../source/file-errors.ts';

/** The program name, as users type it and as messages name it. */
export const PROGRAM = 'sentiment-lambda';

/** Exit codes of every command. */
export const ExitCode = {
  /** Everything was done. */
  Ok: 0,
  /** The input data (reviews, vocabulary file) is bad, or the output could not be written. */
  BadInput: 1,
  /** The command line is wrong: unknown command or option, missing argument. */
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The streams a command reads and writes; `process.stdin/stdout/stderr` in the real program. */
export interface CliIO {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** A file that could not be read, with a message that names it. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
}

/**
 * Reads a whole file as strict UTF-8 (a leading byte order mark is dropped), or the whole of
 * `stdin` when `path` is `-`.
 *
 * @param what - what the file is, for messages ("vocabulary file").
 * @throws {FileReadError} naming the file and the reason: missing, unreadable, or not UTF-8.
 */
export async function readTextFile(path: string, what: string, stdin?: Readable): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = path === '-' && stdin !== undefined ? await readAll(stdin) : await readFile(path);
  } catch (error) {
    throw new FileReadError(`cannot read ${what} ${JSON.stringify(path)}: ${fileErrorReason(error)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileReadError(`${what} ${JSON.stringify(path)} is not valid UTF-8 text`);
  }
}

async function readAll(input: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** Whether `error` is a parse failure of `node:util` `parseArgs` (a usage error, not a bug). */
export function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * Watches a command's output for the rest of the stream's life (an EPIPE can arrive after the last write
 * returned). The function returned says what failed it: its first error, or an error saying it was closed
 * when it is destroyed without one; `undefined` while the output is fine.
 */
export function watchOutput(output: Writable): () => NodeJS.ErrnoException | undefined {
  let failure: NodeJS.ErrnoException | undefined;
  output.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error;
  });
  // Not kept: a stream destroyed with an error reports it on a later tick, and that error is the one to tell.
  return () => failure ?? (output.destroyed ? new Error('the stream was closed') : undefined);
}

/** Resolves once `output` drains, closes or fails: whichever comes first ends the wait for room. */
export function drained(output: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      output.off('drain', done);
      output.off('close', done);
      output.off('error', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
    output.on('error', done);
  });
}
