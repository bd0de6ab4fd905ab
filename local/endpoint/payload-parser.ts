/**
 * The request and response bodies of the SageMaker built-in XGBoost container, with its rules:
 *
 * - `text/csv`: one row per line, every row exactly the model's feature count wide, else the
 *   container answers 400 "Feature size of csv inference data ... not consistent ..."; an empty field or
 *   `nan` is a missing value, `0` a value.
 * - `text/libsvm` (also `text/x-libsvm`): one row per line, `<label> <index>:<value> ...`; the label
 *   (any token without `:`) is ignored, and each index is the 0-based column, as given (the container
 *   builds a SciPy matrix of the indices as they are). A column a row does not list is a missing value;
 *   trailing rows without any entry get no score (that matrix ends at the last row with one).
 * - anything else: 415.
 *
 * Scores are written as the container writes them: float32 values printed as Python's `repr` of the
 * float (`0.8581489324569702`, `1e-05`), one `\n`-terminated line per row for `text/csv`, or
 * `{"predictions":[{"score":...}]}` for `application/json`.
 */
import { mediaTypeEssence } from '../../src/http/media-type.ts';

/** An error the model container itself answers with; SageMaker wraps it as `ModelError` (424). */
export class ContainerError extends Error {
  override readonly name = 'ContainerError';
  /** The container's HTTP status: 400 (bad data), 406 (bad Accept) or 415 (bad content type or syntax). */
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** Input formats the container reads. */
export type InputFormat = 'csv' | 'libsvm';
/** Output formats the container writes. */
export type OutputFormat = 'csv' | 'json';

/** Rows to score: dense rows (csv) or sparse rows with 0-based columns (libsvm, already shifted). */
export type ParsedRows =
  | { readonly format: 'csv'; readonly rows: readonly Float64Array[] }
  | {
      readonly format: 'libsvm';
      readonly rows: readonly { readonly indices: readonly number[]; readonly values: readonly number[] }[];
    };

/**
 * The input format of a `Content-Type`.
 * @throws {ContainerError} 415 for any type the XGBoost container does not read.
 */
export function inputFormatOf(contentType: string | undefined): InputFormat {
  const type = mediaTypeEssence(contentType);
  if (type === 'text/csv') return 'csv';
  if (type === 'text/libsvm' || type === 'text/x-libsvm') return 'libsvm';
  throw new ContainerError(
    415,
    `Content-type ${contentType === undefined || contentType === '' ? 'None' : contentType} is not supported. ` +
      'Supported content types: text/csv, text/libsvm.',
  );
}

/**
 * The output format for an `Accept` header; absent, empty or `*\/*` means `text/csv`.
 * @throws {ContainerError} 406 for any other accept type.
 */
export function outputFormatOf(accept: string | undefined): OutputFormat {
  // Accept may list several types; the first one the container writes wins.
  const types = (accept ?? '').split(',').map((part) => mediaTypeEssence(part));
  for (const type of types) {
    if (type === undefined || type === '*/*' || type === 'text/*' || type === 'text/csv') return 'csv';
    if (type === 'application/json' || type === 'application/*') return 'json';
  }
  throw new ContainerError(
    406,
    `Accept type ${accept} is not supported. Supported accept types: text/csv, application/json.`,
  );
}

// Python's str.strip() for the ASCII whitespace a payload can hold.
const strip = (text: string): string => text.replace(/^[\s\0]+|[\s\0]+$/g, '');

/** What Python's `float()` reads (after stripping whitespace): digits with single `_` between them, inf, nan. */
const PYTHON_FLOAT =
  /^[+-]?(?:(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$/;

/** The container's reason for refusing a value DMatrix cannot hold (it checks the float32 it stores). */
const INFINITE = 'Input data contains `inf` or a value too large for float32';

/**
 * A field as numpy's `astype(float)` reads it (Python `float()` syntax), or `undefined` when it is not a number.
 * Only called for fields the fast path of {@link parseCsv} did not take.
 */
function parsePythonFloat(field: string): number | undefined {
  const token = field.trim();
  if (!PYTHON_FLOAT.test(token)) return undefined;
  const lower = token.toLowerCase();
  if (lower.endsWith('nan')) return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) {
    return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return Number(token.includes('_') ? token.replaceAll('_', '') : token);
}

/** Whether a parsed value is one xgboost's DMatrix refuses: infinite once stored as float32. */
const overflowsFloat32 = (value: number): boolean => !Number.isFinite(Math.fround(value)) && !Number.isNaN(value);

const csvFailure = (detail: string): ContainerError =>
  new ContainerError(415, `Loading csv data failed with Exception, please ensure data is in csv format: ${detail}`);

/**
 * Parses a `text/csv` payload into dense rows, as the XGBoost container reads it: an empty field (`""`) or
 * `nan` is a missing value (`NaN`), `0` is a value; numbers have Python's `float()` syntax. Like the
 * container, it refuses rows of different widths and values xgboost cannot store (`inf`, beyond float32) with
 * 415, then a width other than `featureCount` with 400 (the container's "Feature size ... not consistent").
 * @throws {ContainerError} 415 for malformed data, 400 for a width that differs from `featureCount`.
 */
export function parseCsv(payload: string, featureCount: number): Float64Array[] {
  const text = strip(payload);
  if (text === '') throw csvFailure('the payload is empty.');
  const lines = text.split(/\r?\n/);
  const rows: Float64Array[] = [];
  // The container's order: rows of different widths fail first (numpy cannot make one array of them), then a
  // value numpy or DMatrix refuses, then the width against the model.
  let width = -1;
  let firstFailure: ContainerError | undefined;
  for (let r = 0; r < lines.length; r++) {
    const row = new Float64Array(featureCount);
    const parsed = parseCsvRow(lines[r] as string, row, r);
    if (width === -1) width = parsed.fields;
    else if (parsed.fields !== width) {
      throw csvFailure(
        `rows have different numbers of fields (row 1 has ${width}, row ${r + 1} has ${parsed.fields}).`,
      );
    }
    firstFailure ??= parsed.failure;
    rows.push(row);
  }
  if (firstFailure !== undefined) throw firstFailure;
  if (width !== featureCount) {
    throw new ContainerError(
      400,
      `Unable to evaluate payload provided: Feature size of csv inference data ${width} is not consistent with feature size of trained model ${featureCount}.`,
    );
  }
  return rows;
}

/**
 * Reads one CSV line into `row` in a single pass; returns how many fields the line has (fields past the row's
 * length are counted, not stored) and the first field the container would refuse. A plain run of digits (a
 * word count) is read as it is scanned; anything else goes through Python's float syntax.
 */
function parseCsvRow(line: string, row: Float64Array, r: number): { fields: number; failure?: ContainerError } {
  let failure: ContainerError | undefined;
  let field = 0;
  let start = 0;
  let value = 0;
  let plain = true;
  const length = line.length;
  for (let at = 0; at <= length; at++) {
    const code = at < length ? line.charCodeAt(at) : 0x2c;
    if (code !== 0x2c) {
      const digit = code - 0x30;
      if (digit >= 0 && digit <= 9) value = value * 10 + digit;
      else plain = false;
      continue;
    }
    // A field ends at `at`. Fields past the row's end are checked, not stored: the container reads them all.
    const size = at - start;
    let number: number;
    if (plain && size > 0 && size <= 15) {
      number = value; // at most 15 digits: exact
    } else if (size === 0) {
      number = Number.NaN; // an empty field is "nan" to the container
    } else {
      const text = line.slice(start, at);
      const parsed = parsePythonFloat(text);
      if (parsed === undefined) {
        failure ??= csvFailure(
          `could not convert string to float: ${JSON.stringify(text)} (row ${r + 1}, column ${field + 1}).`,
        );
      } else if (overflowsFloat32(parsed)) {
        failure ??= csvFailure(`${INFINITE}: ${JSON.stringify(text)} (row ${r + 1}, column ${field + 1}).`);
      }
      number = parsed ?? Number.NaN;
    }
    if (field < row.length) row[field] = number;
    field++;
    start = at + 1;
    value = 0;
    plain = true;
  }
  return failure === undefined ? { fields: field } : { fields: field, failure };
}

const libsvmFailure = (detail: string): ContainerError =>
  new ContainerError(
    415,
    `Loading libsvm data failed with Exception, please ensure data is in libsvm format: ${detail}`,
  );

/**
 * Parses a `text/libsvm` payload into sparse rows, with the columns as given (0-based), as the container's
 * algorithm-mode serving reads them (`_get_sparse_matrix_from_libsvm`). A column a row does not list is a
 * missing value; `nan` is missing too; an explicit `0` is a value. Rows after the last one with an entry
 * are dropped, as the container's `csr_matrix((data, (row, col)))` has no rows past it (so they get no
 * score, and a reply with fewer scores than lines).
 * @throws {ContainerError} 415 on a malformed `index:value` or a value xgboost cannot store, 400 when an index
 *   is beyond the model's feature count.
 */
export function parseLibsvm(payload: string, featureCount: number): { indices: number[]; values: number[] }[] {
  const text = strip(payload);
  if (text === '') throw libsvmFailure('the payload is empty.');
  const rows: { indices: number[]; values: number[] }[] = [];
  let maxIndex = -1;
  for (const line of text.split(/\r?\n/)) {
    const indices: number[] = [];
    const values: number[] = [];
    for (const item of line.split(/[ \t]+/)) {
      const colon = item.indexOf(':');
      if (colon < 0) continue; // the label, or an empty token
      const indexText = item.slice(0, colon);
      const valueText = item.slice(colon + 1);
      const value = /^\d+$/.test(indexText) ? parsePythonFloat(valueText) : undefined;
      if (value === undefined) throw libsvmFailure(`bad entry ${JSON.stringify(item)}.`);
      if (overflowsFloat32(value)) throw libsvmFailure(`${INFINITE}: ${JSON.stringify(item)}.`);
      const index = Number(indexText);
      indices.push(index);
      values.push(value);
      if (index > maxIndex) maxIndex = index;
    }
    rows.push({ indices, values });
  }
  // The container's SciPy matrix is as tall as its last row with an entry: rows after it get no score.
  while (rows.length > 0 && (rows[rows.length - 1] as { indices: number[] }).indices.length === 0) rows.pop();
  if (maxIndex >= featureCount) {
    throw new ContainerError(
      400,
      `Unable to evaluate payload provided: Feature size of libsvm inference data ${maxIndex + 1} is larger than feature size of trained model ${featureCount}.`,
    );
  }
  return rows;
}

/** Parses a payload of either format. */
export function parsePayload(payload: string, format: InputFormat, featureCount: number): ParsedRows {
  return format === 'csv'
    ? { format, rows: parseCsv(payload, featureCount) }
    : { format, rows: parseLibsvm(payload, featureCount) };
}

/**
 * A score as the container prints it: rounded to float32 (XGBoost predicts in float32), then
 * Python's `repr` of that float (shortest round-trip digits; exponent form below 1e-4, `1e-05` style).
 */
function formatScore(score: number): string {
  const value = Math.fround(score);
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/** The response body and its content type for these scores. */
export function formatScores(scores: readonly number[], format: OutputFormat): { body: string; contentType: string } {
  if (format === 'json') {
    const predictions = scores.map((score) => `{"score":${jsonNumber(score)}}`).join(',');
    return { body: `{"predictions":[${predictions}]}`, contentType: 'application/json' };
  }
  let body = '';
  for (const score of scores) body += `${formatScore(score)}\n`;
  return { body, contentType: 'text/csv; charset=utf-8' };
}

// JSON has no NaN/Infinity literals; a linear model's sigmoid never yields them, but stay valid JSON.
const jsonNumber = (score: number): string => {
  const text = formatScore(score);
  return /^-?(?:nan|inf)$/.test(text) ? 'null' : text;
};
