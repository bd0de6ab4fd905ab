/**
 * `classify`'s CSV reader (parsed by `csv-parse`): a header line, then one review a row, in the column
 * `--column` names, else the first column named `review`, else `text` (either in any case). Quoted fields
 * may span lines; a quote inside an unquoted field is kept as text, as Python's `csv` module keeps it.
 * Empty lines are passed over. Items name the line a row starts on, counting `\n` as the JSON lines
 * reader does: csv-parse's own count takes a `\r\n` inside a quoted field for two lines, so lines are
 * counted here, from the bytes.
 */
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { type CsvError, type Info, parse } from 'csv-parse';
import { blankReviewProblem, InputError, type InputItem } from './classify-input.ts';

/** Columns looked for, in order, when `--column` is not given. */
export const DEFAULT_COLUMNS = ['review', 'text'] as const;

/** What a csv-parse error code means, in words; other codes keep csv-parse's message. */
const PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed before the end of the input',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field has text after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field has text after its closing quote',
};

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Passes the input on to the parser (without a leading byte order mark, so that both count the same
 * bytes), keeping the bytes the parser has not yet been asked about, to tell the line of an offset.
 */
class LineCounter extends Transform {
  readonly #chunks: Buffer[] = [];
  /** Offset of `#chunks[0]`. */
  #chunksStart = 0;
  /** Bytes before this offset are counted. */
  #counted = 0;
  #newlines = 0;
  #total = 0;
  /** The input's first bytes, until there are three. */
  #head: Buffer | undefined = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#head !== undefined) {
      // The first three bytes decide whether there is a byte order mark, however the input is chunked.
      this.#head = Buffer.concat([this.#head, chunk]);
      if (this.#head.length < BYTE_ORDER_MARK.length) {
        callback();
        return;
      }
      chunk = this.#head.subarray(0, 3).equals(BYTE_ORDER_MARK) ? this.#head.subarray(3) : this.#head;
      this.#head = undefined;
    }
    this.#pass(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.#head !== undefined) this.#pass(this.#head);
    callback();
  }

  #pass(bytes: Buffer): void {
    this.#chunks.push(bytes);
    this.#total += bytes.length;
    this.push(bytes);
  }

  /** Bytes passed on so far. */
  get total(): number {
    return this.#total;
  }

  /** The 1-based line of byte `offset`; offsets must be asked in increasing order. */
  lineOf(offset: number): number {
    while (this.#counted < offset && this.#chunks.length > 0) {
      const chunk = this.#chunks[0] as Buffer;
      const stop = Math.min(chunk.length, offset - this.#chunksStart);
      for (let at = chunk.indexOf(NEWLINE, this.#counted - this.#chunksStart); at !== -1 && at < stop; ) {
        this.#newlines += 1;
        at = chunk.indexOf(NEWLINE, at + 1);
      }
      this.#counted = this.#chunksStart + stop;
      if (stop === chunk.length) {
        this.#chunks.shift();
        this.#chunksStart += chunk.length;
      }
    }
    return this.#newlines + 1;
  }
}

/** A record csv-parse could not read and skipped, and how many records it had read before it. */
interface Skipped {
  readonly error: CsvError;
  readonly afterRecords: number;
  readonly emptyLines: number;
}

/**
 * The items of a CSV input, in order.
 * @param column The header of the review column; when absent, {@link DEFAULT_COLUMNS}.
 * @throws {InputError} when the header has no such column, or is not UTF-8.
 */
export async function* readCsvReviews(input: Readable, column?: string): AsyncGenerator<InputItem> {
  const counter = new LineCounter();
  const parser = input.pipe(counter).pipe(
    parse({
      // Fields as bytes: each review is decoded here, so that one that is not UTF-8 is reported, not mangled.
      encoding: null,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // A record whose quotes are broken is skipped with an error (the 'skip' event), not the end of the run.
      skip_records_with_error: true,
      // Not detected from the first line: a file that mixes `\r\n` and `\n` would keep a `\r` in fields.
      record_delimiter: ['\r\n', '\n'],
    }),
  );
  // Skips are signalled as the parser reads, ahead of this loop: queued, and placed by the records before them.
  const skipped: Skipped[] = [];
  parser.on('skip', (error: CsvError) =>
    skipped.push({ error, afterRecords: parser.info.records, emptyLines: parser.info.empty_lines }),
  );
  input.on('error', (error) => parser.destroy(error));
  counter.on('error', (error) => parser.destroy(error));

  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lastLine = 0; // of the last record read
  let emptyLines = 0; // passed over before it
  /** Bad items for the records skipped before record number `records`, the next one starting at `nextLine`. */
  function* skippedBefore(records: number, nextLine: number): Generator<InputItem> {
    while (skipped.length > 0 && (skipped[0] as Skipped).afterRecords < records) {
      const { error, emptyLines: emptyBefore } = skipped.shift() as Skipped;
      const line = lastLine + 1 + (emptyBefore - emptyLines);
      // csv-parse may signal one broken record twice: its lines are named once.
      if (line > nextLine - 1) continue;
      const end = skipped.length > 0 && (skipped[0] as Skipped).afterRecords < records ? line : nextLine - 1;
      yield {
        problem: PROBLEMS[error.code] ?? error.message,
        line,
        ...(end > line ? { lastLine: end } : {}),
        endByte: counter.total,
      };
      lastLine = end;
      emptyLines = emptyBefore;
    }
  }

  let index: number | undefined;
  let name = '';
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Buffer[]; info: Info }>) {
      // The line of the record's last byte (its `\n`, if it has one), less the lines its fields break.
      const end = counter.lineOf(info.bytes - 1);
      const line = end - newlinesIn(record);
      yield* skippedBefore(info.records, line);
      lastLine = end;
      emptyLines = info.empty_lines;
      if (index === undefined) {
        ({ index, name } = reviewColumn(record, column, line, decoder));
        continue;
      }
      const field = record[index];
      const endByte = info.bytes;
      if (field === undefined) {
        const fields = `${record.length} field${record.length === 1 ? '' : 's'}`;
        yield { problem: `the row has ${fields}, so no ${JSON.stringify(name)} column`, line, endByte };
        continue;
      }
      let review: string;
      try {
        review = decoder.decode(field);
      } catch {
        yield { problem: `the ${JSON.stringify(name)} field is not valid UTF-8 text`, line, endByte };
        continue;
      }
      const blank = blankReviewProblem(review);
      yield blank === undefined ? { review, line, endByte } : { problem: blank, line, endByte };
    }
    yield* skippedBefore(Number.POSITIVE_INFINITY, counter.lineOf(Math.max(0, counter.total - 1)) + 1);
  } finally {
    // Whether the reader ran to the end or was stopped (--strict, a failed output), the input is done with.
    input.destroy();
  }
}

/** `\n` inside the record's fields (quoted line breaks): the lines it spans, less one. */
function newlinesIn(record: readonly Buffer[]): number {
  let count = 0;
  for (const field of record) {
    for (let at = field.indexOf(NEWLINE); at !== -1; at = field.indexOf(NEWLINE, at + 1)) count += 1;
  }
  return count;
}

/** The review column's index in the header (the first of that name). */
function reviewColumn(
  header: readonly Buffer[],
  column: string | undefined,
  line: number,
  decoder: TextDecoder,
): { index: number; name: string } {
  let names: string[];
  try {
    names = header.map((field) => decoder.decode(field));
  } catch {
    throw new InputError(`the CSV header (line ${line}) is not valid UTF-8 text`);
  }
  const wanted = column === undefined ? DEFAULT_COLUMNS : [column];
  for (const name of wanted) {
    const index =
      column === undefined ? names.findIndex((field) => field.trim().toLowerCase() === name) : names.indexOf(name);
    if (index !== -1) return { index, name: names[index] as string };
  }
  const looked = column === undefined ? '"review" or "text" column' : `${JSON.stringify(column)} column`;
  const hint = column === undefined ? ': name the review column with --column NAME' : '';
  throw new InputError(
    `the CSV header (line ${line}) has no ${looked}; its columns are ${names.map((field) => JSON.stringify(field)).join(', ')}${hint}`,
  );
}
