/**
 * `classify`'s JSON lines reader: one review a line, as a JSON string (what `encode` reads) or as an object
 * with a string `review` (other fields, such as an id, are ignored). Blank lines hold nothing and are
 * passed over, as `encode` and scripts/original_preprocessing.py do; every other line is a review or a bad line.
 */
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { isPythonBlank } from '../encoder/python-text.ts';
import { blankReviewProblem, type InputItem } from './classify-input.ts';

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = '\ufeff';
const EXPECTED = 'expected a JSON string or {"review": "..."}';

/**
 * The items of a JSON lines input, in order. Lines end at `\n` only (a `\r` before it is JSON whitespace),
 * not at U+2028/U+2029, which `JSON.stringify` leaves raw inside strings: so not `node:readline`.
 */
export async function* readJsonLines(input: Readable): AsyncGenerator<InputItem> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let lineNumber = 0;
  let consumed = 0;
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      consumed += end + 1 - start;
      start = end + 1;
      lineNumber += 1;
      const item = itemOf(line, lineNumber, consumed, decoder);
      if (item !== undefined) yield item;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      consumed += bytes.length - start;
    }
  }
  if (pending.length > 0) {
    const item = itemOf(Buffer.concat(pending), lineNumber + 1, consumed, decoder);
    if (item !== undefined) yield item;
  }
}

/** The item of one line (without its `\n`), or `undefined` for a blank line. */
function itemOf(bytes: Buffer, line: number, endByte: number, decoder: TextDecoder): InputItem | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { problem: 'not valid UTF-8 text', line, endByte };
  }
  if (line === 1 && text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  if (isPythonBlank(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON (${(error as Error).message}); ${EXPECTED}`, line, endByte };
  }
  let review: unknown = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (!Object.hasOwn(value, 'review'))
      return { problem: `${EXPECTED}, got an object without "review"`, line, endByte };
    review = (value as { review: unknown }).review;
    if (typeof review !== 'string') {
      return { problem: `${EXPECTED}, got an object whose "review" is ${describe(review)}`, line, endByte };
    }
  } else if (typeof review !== 'string') {
    return { problem: `${EXPECTED}, got ${describe(review)}`, line, endByte };
  }
  const blank = blankReviewProblem(review);
  return blank === undefined ? { review, line, endByte } : { problem: blank, line, endByte };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return 'a number';
  return `a ${typeof value}`;
}
