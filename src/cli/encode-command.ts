/**
 * `sentiment-lambda encode --vocabulary FILE [--format csv|libsvm]`: reviews in (one JSON string per
 * line on stdin), request bodies out (one line each on stdout), byte for byte as the reference preprocessing
 * writes them (`scripts/original_preprocessing.py`, the project's Python oracle).
 */
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  createPayloadEncoder,
  DEFAULT_PAYLOAD_FORMAT,
  isPayloadFormat,
  type PayloadEncoder,
  type PayloadFormat,
  Vocabulary,
} from '../encoder/index.ts';
import { isPythonBlank } from '../encoder/python-text.ts';
import { type CliIO, ExitCode, FileReadError, isParseArgsError, PROGRAM, readTextFile } from './io.ts';

/** Help text of `encode`. */
export const ENCODE_USAGE = `Usage: ${PROGRAM} encode --vocabulary FILE [--format csv|libsvm]

Reads reviews from stdin, one JSON string per line (blank lines are skipped), and writes one
request body per line to stdout, as SageMaker's XGBoost container reads it: byte for byte what
the reference preprocessing (scripts/original_preprocessing.py) writes.

Options:
  -v, --vocabulary FILE   the vocabulary as JSON: {"word": index, ...}
                          (convert a Python dict literal first: ${PROGRAM} vocabulary import)
  -f, --format FORMAT     csv (default: the dense row, every column) or libsvm (sparse row)
  -h, --help              show this help

Example:
  echo '"A great, great film"' | ${PROGRAM} encode --vocabulary vocabulary.json

Exit codes: 0 ok, 1 bad input data (vocabulary or a review line), 2 usage error.
`;

/** What `encode` needs once its command line is parsed. */
export interface EncodeOptions {
  /** Path of the JSON vocabulary file. */
  readonly vocabularyFile: string;
  /** Wire format of the bodies; `csv` when absent. */
  readonly format?: PayloadFormat;
}

/**
 * Runs `encode` from its arguments (what follows `encode` on the command line).
 * @returns the exit code: 0 ok, 1 bad input data, 2 usage error (message and usage on stderr).
 */
export async function encodeCommand(args: readonly string[], io: CliIO): Promise<ExitCode> {
  let values: { vocabulary?: string | undefined; format?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        vocabulary: { type: 'string', short: 'v' },
        format: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return usageError(io.stderr, error.message);
  }
  if (values.help === true) {
    io.stdout.write(ENCODE_USAGE);
    return ExitCode.Ok;
  }
  if (values.vocabulary === undefined) return usageError(io.stderr, 'missing --vocabulary FILE');
  const format = values.format ?? DEFAULT_PAYLOAD_FORMAT;
  if (!isPayloadFormat(format)) {
    return usageError(io.stderr, `unknown --format ${JSON.stringify(format)}: use csv or libsvm`);
  }
  return runEncode({ vocabularyFile: values.vocabulary, format }, io);
}

/**
 * Loads the vocabulary file, then encodes `io.stdin` to `io.stdout` (see {@link encodeReviews}).
 * A vocabulary that is missing, unreadable, not JSON or not valid is reported on stderr, naming the
 * file and the first bad entry, and nothing is written to stdout.
 * @returns 0 when every review was encoded, 1 for bad input data.
 */
export async function runEncode(options: EncodeOptions, io: CliIO): Promise<ExitCode> {
  let vocabulary: Vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(await readTextFile(options.vocabularyFile, 'vocabulary file'));
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof FileReadError) {
      io.stderr.write(`${PROGRAM} encode: ${message}\n`);
    } else {
      const hint = message.includes('not valid JSON')
        ? `\nIf it is a Python dict literal, convert it first: ${PROGRAM} vocabulary import ${options.vocabularyFile} --out vocabulary.json`
        : '';
      io.stderr.write(
        `${PROGRAM} encode: vocabulary file ${JSON.stringify(options.vocabularyFile)}: ${message}${hint}\n`,
      );
    }
    return ExitCode.BadInput;
  }
  return encodeReviews(createPayloadEncoder(vocabulary, options.format), io.stdin, io.stdout, io.stderr);
}

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = '\ufeff';

function describeJSONValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return 'a number';
  return `a ${typeof value}`;
}

/**
 * Splits a byte stream into lines at `\n` only, as Python's `for line in sys.stdin` does on Linux
 * (a `\r` stays in the line, where JSON reads it as whitespace). Not `node:readline`: it also breaks
 * lines at `\r`, U+2028 and U+2029, and `JSON.stringify` leaves U+2028 raw inside a string.
 */
async function* byteLines(input: Readable): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      yield pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      start = end + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}

/**
 * The core of `encode`, on plain streams: reads one JSON string (a review) per line from `input`,
 * skips blank lines, and writes each review's request body and a `\n` to `output` in one write,
 * waiting for `drain` when the output is full, so inputs of any size stream through.
 *
 * The first bad line (not UTF-8, not JSON, or JSON that is not a string) stops the run: a message
 * naming its line number goes to `errors` and no part of its body is written; bodies of earlier
 * lines are already out. A leading byte order mark is ignored.
 *
 * @returns 0 when every line was encoded; 1 for a bad line or an output that failed (e.g. closed pipe).
 */
export async function encodeReviews(
  encoder: PayloadEncoder,
  input: Readable,
  output: Writable,
  errors: Writable,
): Promise<ExitCode> {
  let outputError: NodeJS.ErrnoException | undefined;
  // Kept for the life of the stream: an EPIPE can arrive after the last write returned.
  output.on('error', (error: NodeJS.ErrnoException) => {
    outputError ??= error;
  });
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const fail = (lineNumber: number, what: string): ExitCode => {
    errors.write(`${PROGRAM} encode: line ${lineNumber}: ${what}\n`);
    return ExitCode.BadInput;
  };
  let lineNumber = 0;
  for await (const bytes of byteLines(input)) {
    lineNumber += 1;
    let line: string;
    try {
      line = decoder.decode(bytes);
    } catch {
      return fail(lineNumber, 'not valid UTF-8 text');
    }
    if (lineNumber === 1 && line.startsWith(BYTE_ORDER_MARK)) line = line.slice(1);
    if (isPythonBlank(line)) continue; // Python's `not line.strip()`
    let review: unknown;
    try {
      review = JSON.parse(line);
    } catch (error) {
      return fail(lineNumber, `not valid JSON (${(error as Error).message}); expected a JSON string (a review)`);
    }
    if (typeof review !== 'string') {
      return fail(lineNumber, `expected a JSON string (a review), got ${describeJSONValue(review)}`);
    }
    if (outputError !== undefined || output.destroyed) break;
    if (!output.write(`${encoder.encodeRow(review)}\n`)) await drained(output);
  }
  if (outputError !== undefined || output.destroyed) {
    // A reader that stopped early (`| head`) is not worth a message; anything else is.
    if (outputError?.code !== 'EPIPE') {
      errors.write(`${PROGRAM} encode: cannot write the output: ${outputError?.message ?? 'the stream was closed'}\n`);
    }
    return ExitCode.BadInput;
  }
  return ExitCode.Ok;
}

function drained(output: Writable): Promise<void> {
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

function usageError(stderr: Writable, message: string): ExitCode {
  stderr.write(`${PROGRAM} encode: ${message}\nRun '${PROGRAM} encode --help' for usage.\n`);
  return ExitCode.Usage;
}
