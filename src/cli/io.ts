/**
 * What every `sentiment-lambda` command shares: its streams, its exit codes and file reading with
 * messages a person can act on.
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
