/**
 * `sentiment-lambda classify --model FILE --vocabulary FILE [INPUT]`: reviews in (JSON lines or CSV, a file
 * or stdin), one JSON result per review out, in input order, exactly as the deployed function answers
 * with the model in the function. The model and the vocabulary are read and checked here, once, before
 * any review; the scoring runs in worker threads (classify-pool.ts) fed by classify-run.ts.
 */
import { fstatSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Vocabulary } from '../encoder/vocabulary.ts';
import { fileErrorReason } from '../source/file-errors.ts';
import { ModelFormatProblem, ModelLoadError } from '../xgboost/errors.ts';
import { type ReadModel, readModelFile, readXGBoostModel } from '../xgboost/load.ts';
import { packModel } from '../xgboost/packed.ts';
import { readCsvReviews } from './classify-csv.ts';
import {
  detectFormat,
  formatOfFileName,
  InputError,
  type InputFormat,
  type InputItem,
  isInputFormat,
} from './classify-input.ts';
import { readJsonLines } from './classify-jsonl.ts';
import { startScoringPool, WorkerFailure } from './classify-pool.ts';
import { createProgress } from './classify-progress.ts';
import { type ClassifyRunResult, classifyItems } from './classify-run.ts';
import { createReviewScorer } from './classify-scorer.ts';
import { type CliIO, ExitCode, FileReadError, isParseArgsError, PROGRAM, readTextFile } from './io.ts';

const PREFIX = `${PROGRAM} classify`;

/** Help text of `classify`. */
export const CLASSIFY_USAGE = `Usage: ${PROGRAM} classify --model FILE --vocabulary FILE [options] [INPUT]

Classifies reviews as the deployed function does with the model in the function (same preprocessing,
same scores): one JSON result per review on stdout, in input order, as the API answers each review:
  {"sentiment":1,"label":"POSITIVE","score":0.87}

INPUT is a file, or stdin when absent or "-", in one of two formats:
  jsonl   one review a line: a JSON string, or an object with a string "review" (other fields ignored)
  csv     a header line, then one review a row, in the column --column names (default: the column
          named "review", else "text", in any case); quoted fields may span lines
The format is --format's, else the file extension's (.csv; .jsonl, .ndjson, .json), else the first
non-blank line's: a JSON string or object is jsonl, anything else csv.

A bad line (not UTF-8 or JSON, not a review, an empty or blank review, a CSV row without the column or
with a broken quote) is named on stderr by its line number and skipped; blank lines are passed over.
So output line N is the result of the N-th good review.

Options:
  -m, --model FILE        the XGBoost model, in any form (.ubj, .json, model.tar.gz, pickled Booster, ...)
  -v, --vocabulary FILE   the vocabulary it was trained with, as JSON: {"word": index, ...}
  -f, --format FORMAT     jsonl or csv (default: told as above)
  -c, --column NAME       the CSV column holding the reviews (exact name)
  -e, --explain           add each result's explanation, as the API's "explain": the review's words, largest
                          effect first, with what each moved the margin by (exact TreeSHAP), the base value,
                          the other words' share and the margin
      --strict            stop at the first bad line, after writing the results of the reviews before it
  -t, --threads N         worker threads scoring reviews (default: one per CPU)
  -q, --quiet             no progress bar (one is drawn only on a terminal, for runs over a second)
  -h, --help              show this help

Example:
  ${PROGRAM} classify -m default-model/model.ubj -v default-model/vocabulary.json reviews.csv > results.jsonl

Exit codes: 0 ok; 1 bad input data: a bad line (even skipped), a model or vocabulary that cannot be read
or whose widths differ, an unreadable input or output; 2 usage error.
`;

/** What `classify` needs once its command line is parsed. */
export interface ClassifyOptions {
  readonly modelFile: string;
  readonly vocabularyFile: string;
  /** The input file; stdin when absent or `-`. */
  readonly input?: string | undefined;
  /** Told from the file name or the content when absent. */
  readonly format?: InputFormat | undefined;
  /** The CSV review column; `review`, else `text`, when absent. */
  readonly column?: string | undefined;
  readonly strict?: boolean;
  /** Each result with its explanation, as the API answers `"explain": true`. */
  readonly explain?: boolean;
  /** Worker threads; default one per CPU. */
  readonly threads?: number;
  /** Draw a progress bar (on a terminal, when not `--quiet`). */
  readonly progress?: boolean;
  /** Milliseconds before a progress bar appears (tests); see classify-progress.ts. */
  readonly progressDelayMs?: number;
  /** Reviews per batch sent to a worker (tests use small ones to spread a short input over the workers). */
  readonly batchSize?: number;
}

const MAX_THREADS = 256;

/**
 * Runs `classify` from its arguments (what follows `classify` on the command line).
 * @param env The environment: no progress bar under CI (`CI` set) or on a `TERM=dumb` terminal.
 * @returns the exit code: 0 ok, 1 bad input data, 2 usage error (message and usage on stderr).
 */
export async function classifyCommand(
  args: readonly string[],
  io: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExitCode> {
  let parsed: ReturnType<typeof parseClassifyArgs>;
  try {
    parsed = parseClassifyArgs(args);
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    return usageError(io, error.message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(CLASSIFY_USAGE);
    return ExitCode.Ok;
  }
  if (values.model === undefined) return usageError(io, 'missing --model FILE');
  if (values.vocabulary === undefined) return usageError(io, 'missing --vocabulary FILE');
  if (positionals.length > 1) {
    return usageError(io, `one INPUT at most, got ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  if (values.format !== undefined && !isInputFormat(values.format)) {
    return usageError(io, `unknown --format ${JSON.stringify(values.format)}: use jsonl or csv`);
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = /^\d+$/.test(values.threads) ? Number(values.threads) : Number.NaN;
    if (!(threads >= 1 && threads <= MAX_THREADS)) {
      return usageError(io, `--threads must be a whole number from 1 to ${MAX_THREADS}, not ${values.threads}`);
    }
  }
  return runClassify(
    {
      modelFile: values.model,
      vocabularyFile: values.vocabulary,
      input: positionals[0],
      format: values.format as InputFormat | undefined,
      column: values.column,
      strict: values.strict === true,
      explain: values.explain === true,
      ...(threads === undefined ? {} : { threads }),
      progress: wantsProgressBar(io.stderr, values.quiet === true, env),
    },
    io,
  );
}

/**
 * Whether `classify` may draw a progress bar: only on a terminal (never into a pipe, a file or a CI log),
 * not with `--quiet`, not under CI (`CI` set, some CI runners give a terminal) nor on `TERM=dumb`.
 */
export function wantsProgressBar(stderr: Writable, quiet: boolean, env: NodeJS.ProcessEnv): boolean {
  const onTerminal = (stderr as { isTTY?: boolean }).isTTY === true;
  const inCI = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return onTerminal && !quiet && !inCI && env.TERM !== 'dumb';
}

function parseClassifyArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      model: { type: 'string', short: 'm' },
      vocabulary: { type: 'string', short: 'v' },
      format: { type: 'string', short: 'f' },
      column: { type: 'string', short: 'c' },
      strict: { type: 'boolean' },
      explain: { type: 'boolean', short: 'e' },
      threads: { type: 'string', short: 't' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

/**
 * Reads and checks the model and the vocabulary, then classifies the input to `io.stdout`. Every problem
 * is a message on stderr naming the file or the line, never a stack trace.
 * @returns 0 when every line was a review and all were classified; 1 for bad input data; 2 for
 *   `--column` given for JSON lines input.
 */
export async function runClassify(options: ClassifyOptions, io: CliIO): Promise<ExitCode> {
  const fail = (message: string): ExitCode => {
    io.stderr.write(`${PREFIX}: ${message}\n`);
    return ExitCode.BadInput;
  };

  let vocabularyText: string;
  let vocabulary: Vocabulary;
  try {
    vocabularyText = await readTextFile(options.vocabularyFile, 'vocabulary file');
    vocabulary = Vocabulary.fromJSON(vocabularyText);
  } catch (error) {
    const message = (error as Error).message;
    return fail(
      error instanceof FileReadError
        ? message
        : `vocabulary file ${JSON.stringify(options.vocabularyFile)}: ${message}`,
    );
  }
  let read: ReadModel;
  try {
    read = await readXGBoostModel(readModelFile(options.modelFile).bytes, options.modelFile);
  } catch (error) {
    if (!(error instanceof ModelLoadError)) throw error;
    return fail(`model file ${JSON.stringify(error.file)}: ${error.reason}`);
  }
  const { model } = read;
  if (model.featureCount !== vocabulary.size) {
    return fail(
      `the model ${JSON.stringify(options.modelFile)} takes ${model.featureCount} features, but the vocabulary ` +
        `${JSON.stringify(options.vocabularyFile)} has ${vocabulary.size} words: give the vocabulary the model was trained with`,
    );
  }
  let scoreHere: ReturnType<typeof createReviewScorer>;
  try {
    scoreHere = createReviewScorer(model, vocabulary, options.explain === true);
  } catch (error) {
    if (!(error instanceof ModelFormatProblem)) throw error;
    return fail(`the model ${JSON.stringify(options.modelFile)} cannot explain its scores: ${error.message}`);
  }

  let input: OpenedInput;
  let format = options.format;
  try {
    input = await openInput(options.input, io.stdin);
    format ??= input.name === undefined ? undefined : formatOfFileName(input.name);
    if (format === undefined) ({ format, input: input.stream } = await detectFormat(input.stream));
  } catch (error) {
    if (error instanceof FileReadError) return fail(error.message);
    if (isReadError(error)) return fail(`cannot read the input: ${fileErrorReason(error)}`);
    throw error;
  }
  if (options.column !== undefined && format !== 'csv') {
    input.stream.destroy();
    io.stderr.write(
      `${PREFIX}: --column is for CSV input, and this input reads as JSON lines: add --format csv if it is CSV\n`,
    );
    return ExitCode.Usage;
  }
  const items: AsyncIterable<InputItem> =
    format === 'csv' ? readCsvReviews(input.stream, options.column) : readJsonLines(input.stream);

  const threads = options.threads ?? availableParallelism();
  const progress = createProgress(io.stderr, {
    show: options.progress === true,
    totalBytes: input.size,
    ...(options.progressDelayMs === undefined ? {} : { delayMs: options.progressDelayMs }),
  });
  let result: ClassifyRunResult;
  try {
    result = await classifyItems({
      items,
      scoreHere,
      // Called once, and only for an input of more than a batch. Workers get the model packed (the trees'
      // arrays as they lie in memory), which scores the same and is the fastest form to read: no parsing,
      // and none of the other forms' readers to import.
      startPool: () =>
        startScoringPool({
          threads,
          modelBytes: packModel(model, read.forms),
          modelLabel: options.modelFile,
          vocabularyText,
          explain: options.explain === true,
        }),
      output: io.stdout,
      progress,
      messagePrefix: PREFIX,
      strict: options.strict === true,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      batchesInFlight: 2 * threads,
    });
  } catch (error) {
    if (error instanceof InputError) return fail(error.message);
    if (error instanceof WorkerFailure) return fail(`a worker thread failed: ${error.message}`);
    if (isReadError(error)) return fail(`cannot read the input: ${fileErrorReason(error)}`);
    throw error;
  } finally {
    progress.stop();
  }
  return summarize(result, io);
}

function summarize(result: ClassifyRunResult, io: CliIO): ExitCode {
  const { outputError } = result;
  if (outputError !== undefined) {
    // A reader that stopped early (`| head`) is not worth a message; anything else is.
    if (outputError.code !== 'EPIPE') io.stderr.write(`${PREFIX}: cannot write the output: ${outputError.message}\n`);
    return ExitCode.BadInput;
  }
  const classified = `${result.reviews} review${result.reviews === 1 ? '' : 's'}`;
  if (result.stoppedAtBadLine) {
    io.stderr.write(`${PREFIX}: stopped at the first bad line (--strict), after classifying ${classified}\n`);
    return ExitCode.BadInput;
  }
  if (result.badLines > 0) {
    const bad = `${result.badLines} bad line${result.badLines === 1 ? '' : 's'}`;
    io.stderr.write(`${PREFIX}: ${bad} skipped; ${classified} classified\n`);
    return ExitCode.BadInput;
  }
  return ExitCode.Ok;
}

interface OpenedInput {
  stream: Readable;
  /** The file's name, for telling its format; `undefined` for stdin. */
  readonly name: string | undefined;
  /** Its size in bytes, when it is a regular file (the progress bar's total). */
  readonly size: number | undefined;
}

/** The input file, opened now so that a missing one is reported before any work; or stdin. */
async function openInput(path: string | undefined, stdin: Readable): Promise<OpenedInput> {
  if (path === undefined || path === '-') return { stream: stdin, name: undefined, size: sizeOfStdin(stdin) };
  try {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
    }
    return { stream: handle.createReadStream(), name: path, size: stat.isFile() ? stat.size : undefined };
  } catch (error) {
    throw new FileReadError(`cannot read the input ${JSON.stringify(path)}: ${fileErrorReason(error)}`);
  }
}

/** The size of stdin when it is redirected from a regular file (`< reviews.jsonl`), else `undefined`. */
function sizeOfStdin(stdin: Readable): number | undefined {
  const fd = (stdin as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return undefined;
  try {
    const stat = fstatSync(fd);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}

/** An error of the file system while reading the input (not a bug). */
function isReadError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function usageError(io: CliIO, message: string): ExitCode {
  io.stderr.write(`${PREFIX}: ${message}\nRun '${PROGRAM} classify --help' for usage.\n`);
  return ExitCode.Usage;
}
