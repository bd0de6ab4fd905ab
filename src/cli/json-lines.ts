/**
 * JSON lines as `encode` and `classify` read them. Lines end at `\n` only, as Python's `for line in sys.stdin`
 * splits them on Linux (a `\r` before it is JSON whitespace); not at `\r`, U+2028 or U+2029 as `node:readline`
 * would (`JSON.stringify` leaves U+2028 raw inside a string). Each line is strict UTF-8, a byte order mark
 * opening the first line is dropped, and blank lines (Python's `not line.strip()`) are passed over.
 */
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { isPythonBlank } from '../encoder/python-text.ts';

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = '\ufeff';

/** Where a line is: its 1-based number, and the input bytes read up to its end (its `\n` included). */
interface LinePlace {
  readonly line: number;
  readonly endByte: number;
}

/** A non-blank line: its JSON value, or what keeps it from having one (`not valid UTF-8 text`, `not valid JSON (...)`). */
export type JsonLine = LinePlace & ({ readonly value: unknown } | { readonly problem: string });

/**
 * The non-blank lines of `input`, in order, each parsed as JSON.
 * @param expected What the reader expects a line to be, added to the problem of a line that is not JSON:
 *   `not valid JSON (<JSON.parse's message>); <expected>`.
 */
export async function* jsonLines(input: Readable, expected: string): AsyncGenerator<JsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const parse = (bytes: Buffer, line: number, endByte: number): JsonLine | undefined => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { problem: 'not valid UTF-8 text', line, endByte };
    }
    if (line === 1 && text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
    if (isPythonBlank(text)) return undefined;
    try {
      return { value: JSON.parse(text), line, endByte };
    } catch (error) {
      return { problem: `not valid JSON (${(error as Error).message}); ${expected}`, line, endByte };
    }
  };
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
      const item = parse(line, lineNumber, consumed);
      if (item !== undefined) yield item;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      consumed += bytes.length - start;
    }
  }
  if (pending.length > 0) {
    const item = parse(Buffer.concat(pending), lineNumber + 1, consumed);
    if (item !== undefined) yield item;
  }
}

/** A JSON value's kind, for messages: `null`, `an array`, `an object`, `a number`, `a boolean`, `a string`. */
export function describeJSONValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return 'a number';
  return `a ${typeof value}`;
}
