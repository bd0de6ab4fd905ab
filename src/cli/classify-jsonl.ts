/**
 * `classify`'s JSON lines reader: one review a line, as a JSON string (what `encode` reads) or as an object
 * with a string `review` (other fields, such as an id, are ignored). Lines are split and parsed as `encode`
 * reads them (json-lines.ts): blank lines hold nothing and are passed over, as `encode` and
 * scripts/original_preprocessing.py do; every other line is a review or a bad line.
 */
import type { Readable } from 'node:stream';
import { blankReviewProblem, type InputItem } from './classify-input.ts';
import { describeJSONValue, jsonLines } from './json-lines.ts';

const EXPECTED = 'expected a JSON string or {"review": "..."}';

/** The items of a JSON lines input, in order. */
export async function* readJsonLines(input: Readable): AsyncGenerator<InputItem> {
  for await (const item of jsonLines(input, EXPECTED)) {
    // A line that is not UTF-8 or not JSON is already a bad item: its problem, line and end.
    yield 'problem' in item ? item : itemOf(item.value, item.line, item.endByte);
  }
}

/** The item of one line's JSON value. */
function itemOf(value: unknown, line: number, endByte: number): InputItem {
  let review: unknown = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (!Object.hasOwn(value, 'review'))
      return { problem: `${EXPECTED}, got an object without "review"`, line, endByte };
    review = (value as { review: unknown }).review;
    if (typeof review !== 'string') {
      return { problem: `${EXPECTED}, got an object whose "review" is ${describeJSONValue(review)}`, line, endByte };
    }
  } else if (typeof review !== 'string') {
    return { problem: `${EXPECTED}, got ${describeJSONValue(review)}`, line, endByte };
  }
  const blank = blankReviewProblem(review);
  return blank === undefined ? { review, line, endByte } : { problem: blank, line, endByte };
}
