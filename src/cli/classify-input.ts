/**
 * What `classify` reads: the input's formats, how a format is told, and the items every format's reader
 * yields (a review, or a bad line to report), each with the line it came from.
 *
 * The format is told, in this order, by `--format`, by the file's extension (`.csv`; `.jsonl`, `.ndjson`,
 * `.json`), and otherwise (stdin, another extension) by the input's first non-blank line: JSON lines when it
 * is a JSON string or object, CSV otherwise. A CSV header `"review"` alone would read as a JSON string: such
 * an input needs `--format csv` or a `.csv` name.
 */
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { isPythonBlank } from '../encoder/python-text.ts';

/** The formats `classify` reads. */
export const INPUT_FORMATS = ['jsonl', 'csv'] as const;

/** `jsonl`: one JSON string or `{"review": "..."}` a line. `csv`: a header line, then one review a row. */
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Whether `name` is one of {@link INPUT_FORMATS}. */
export function isInputFormat(name: string): name is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(name);
}

/** A review read from the input. */
export interface ReviewItem {
  readonly review: string;
  /** 1-based line where the review's line (or CSV row) starts. */
  readonly line: number;
  /** Input bytes read up to the end of this item: how far along the input is (the progress bar). */
  readonly endByte: number;
}

/** A line (or a run of lines) that holds no usable review: reported, then skipped. */
export interface BadItem {
  /** What is wrong, for a person: `not valid JSON (...)`, `the review is empty`, ... */
  readonly problem: string;
  /** 1-based first line of the bad item. */
  readonly line: number;
  /** Last line, when the bad item spans several (a CSV row with a broken quote). */
  readonly lastLine?: number;
  readonly endByte: number;
}

/** One item of the input, in input order. */
export type InputItem = ReviewItem | BadItem;

/** Whether the item is a bad line rather than a review. */
export function isBadItem(item: InputItem): item is BadItem {
  return 'problem' in item;
}

/** How a message names the line(s) of an item: `line 7`, `lines 7-9`. */
export function linesOf(item: BadItem): string {
  return item.lastLine === undefined || item.lastLine === item.line
    ? `line ${item.line}`
    : `lines ${item.line}-${item.lastLine}`;
}

/**
 * An input that cannot be read at all, as opposed to one bad line: e.g. a CSV header without the review
 * column. The run stops with this message.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** The problem of a review that cannot be classified (the API answers 400 to it), or `undefined`. */
export function blankReviewProblem(review: string): string | undefined {
  if (review.length === 0) return 'the review is empty';
  return isPythonBlank(review) ? 'the review is blank (only whitespace)' : undefined;
}

const FORMAT_OF_EXTENSION: Readonly<Record<string, InputFormat>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
};

/** The format a file's extension names (case-insensitive), or `undefined` when it names none. */
export function formatOfFileName(path: string): InputFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(path).toLowerCase()];
}

/** How far {@link detectFormat} reads for a first line before deciding from its start. */
const SNIFF_LIMIT_BYTES = 1 << 20;
const NEWLINE = 0x0a;

interface FirstLine {
  readonly text: string;
  /** False when the line was cut at {@link SNIFF_LIMIT_BYTES}. */
  readonly complete: boolean;
}

/**
 * Tells the format from the input's first non-blank line (see the module's rules) without consuming it.
 * @returns the format and a stream that yields the whole input again, the peeked bytes first.
 */
export async function detectFormat(input: Readable): Promise<{ format: InputFormat; input: Readable }> {
  const iterator: AsyncIterator<Buffer | string> = input[Symbol.asyncIterator]();
  const peeked: Buffer[] = [];
  let size = 0;
  let firstLine: FirstLine | undefined;
  let done = false;
  while (firstLine === undefined && !done && size < SNIFF_LIMIT_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
    } else {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      peeked.push(chunk);
      size += chunk.length;
    }
    firstLine = firstNonBlankLine(Buffer.concat(peeked), done, size >= SNIFF_LIMIT_BYTES);
  }
  async function* replay(): AsyncGenerator<Buffer | string> {
    yield* peeked;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  const format = firstLine === undefined || isJsonLine(firstLine) ? 'jsonl' : 'csv';
  return { format, input: Readable.from(replay()) };
}

/**
 * The first non-blank line of `bytes`, or `undefined` while more bytes are needed to find it. The
 * unterminated tail counts at the end of the input, and when the peek limit is reached (cut).
 */
function firstNonBlankLine(bytes: Buffer, ended: boolean, full: boolean): FirstLine | undefined {
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(NEWLINE, start);
    if (end === -1 && !ended && !full) return undefined;
    const complete = end !== -1 || ended;
    if (end === -1) end = bytes.length;
    const text = bytes
      .subarray(start, end)
      .toString('utf8')
      .replace(/^\ufeff/, '');
    if (!isPythonBlank(text)) return { text, complete };
    start = end + 1;
  }
  return undefined;
}

function isJsonLine({ text, complete }: FirstLine): boolean {
  // A first line longer than the peek limit is a review, not a CSV header: JSON lines when it opens like one.
  if (!complete) return /^\s*[{"]/.test(text);
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));
  } catch {
    return false;
  }
}
