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
import {
  type CliIO,
  drained,
  ExitCode,
  FileReadError,
  isParseArgsError,
  PROGRAM,
  readTextFile,
  watchOutput,
} from './io.ts';
import { describeJSONValue, jsonLines } from './json-lines.ts';

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

const EXPECTED = 'expected a JSON string (a review)';

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
  const outputFailure = watchOutput(output);
  const fail = (lineNumber: number, what: string): ExitCode => {
    errors.write(`${PROGRAM} encode: line ${lineNumber}: ${what}\n`);
    return ExitCode.BadInput;
  };
  for await (const item of jsonLines(input, EXPECTED)) {
    if ('problem' in item) return fail(item.line, item.problem);
    const review = item.value;
    if (typeof review !== 'string') return fail(item.line, `${EXPECTED}, got ${describeJSONValue(review)}`);
    if (outputFailure() !== undefined) break;
    if (!output.write(`${encoder.encodeRow(review)}\n`)) await drained(output);
  }
  const failure = outputFailure();
  if (failure !== undefined) {
    // A reader that stopped early (`| head`) is not worth a message; anything else is.
    if (failure.code !== 'EPIPE') errors.write(`${PROGRAM} encode: cannot write the output: ${failure.message}\n`);
    return ExitCode.BadInput;
  }
  return ExitCode.Ok;
}

function usageError(stderr: Writable, message: string): ExitCode {
  stderr.write(`${PROGRAM} encode: ${message}\nRun '${PROGRAM} encode --help' for usage.\n`);
  return ExitCode.Usage;
}
