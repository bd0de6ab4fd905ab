/**
 * The request and response bodies of the SageMaker built-in XGBoost container, with its rules:
 *
 * - `text/csv`: one row per line, every row exactly the model's feature count wide, else the
 *   container answers 400 "Feature size of csv inference data ... not consistent ...".
 * - `text/libsvm` (also `text/x-libsvm`): one row per line, `<label> <index>:<value> ...`; the label
 *   (any token without `:`) is ignored. When the smallest index of the whole payload is >= 1, every
 *   index is shifted down by one (the container's 1-based detection), so `1:3` is column 0.
 * - anything else: 415.
 *
 * Scores are written as the container writes them: float32 values printed as Python's `repr` of the
 * float (`0.8581489324569702`, `1e-05`), one `\n`-terminated line per row for `text/csv`, or
 * `{"predictions":[{"score":...}]}` for `application/json`.
 */

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

/** The media type without parameters, lowercased: `Text/CSV; charset=utf-8` -> `text/csv`. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

/**
 * The input format of a `Content-Type`.
 * @throws {ContainerError} 415 for any type the XGBoost container does not read.
 */
export function inputFormatOf(contentType: string | undefined): InputFormat {
  const type = mediaType(contentType);
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
  const types = (accept ?? '').split(',').map((part) => mediaType(part));
  for (const type of types) {
    if (type === '' || type === '*/*' || type === 'text/*' || type === 'text/csv') return 'csv';
    if (type === 'application/json' || type === 'application/*') return 'json';
  }
  throw new ContainerError(
    406,
    `Accept type ${accept} is not supported. Supported accept types: text/csv, application/json.`,
  );
}

// Python's str.strip() for the ASCII whitespace a payload can hold.
const strip = (text: string): string => text.replace(/^[\s\0]+|[\s\0]+$/g, '');
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$/i;

// Only called on tokens that passed isNumber.
function parseNumber(token: string): number {
  const text = token.trim();
  const lower = text.toLowerCase().replace(/^[+]/, '');
  if (lower.endsWith('nan')) return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}
const isNumber = (token: string): boolean => NUMBER.test(token.trim());

/**
 * Parses a `text/csv` payload into dense rows of `featureCount` values; an empty field is a missing
 * value (`NaN`, which contributes nothing to the score).
 * @throws {ContainerError} 415 when a field is not a number, 400 when a row's width differs from `featureCount`.
 */
export function parseCsv(payload: string, featureCount: number): Float64Array[] {
  const text = strip(payload);
  if (text === '')
    throw new ContainerError(
      415,
      'Loading csv data failed with Exception, please ensure data is in csv format: the payload is empty.',
    );
  const lines = text.split(/\r?\n/);
  const rows: Float64Array[] = [];
  for (let r = 0; r < lines.length; r++) {
    const fields = (lines[r] as string).split(',');
    if (fields.length !== featureCount) {
      throw new ContainerError(
        400,
        `Feature size of csv inference data ${fields.length} is not consistent with feature size of trained model ${featureCount}.`,
      );
    }
    const row = new Float64Array(featureCount);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string;
      if (field.trim() === '') {
        row[i] = Number.NaN;
      } else if (isNumber(field)) {
        row[i] = parseNumber(field);
      } else {
        throw new ContainerError(
          415,
          `Loading csv data failed with Exception, please ensure data is in csv format: could not convert string to float: ${JSON.stringify(field)} (row ${r + 1}, column ${i + 1}).`,
        );
      }
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Parses a `text/libsvm` payload into sparse rows with 0-based columns, applying the container's
 * shift-down-by-one when the smallest index in the payload is >= 1.
 * @throws {ContainerError} 415 on a malformed `index:value`, 400 when an index is beyond the model's feature count.
 */
export function parseLibsvm(payload: string, featureCount: number): { indices: number[]; values: number[] }[] {
  const text = strip(payload);
  if (text === '')
    throw new ContainerError(
      415,
      'Loading libsvm data failed with Exception, please ensure data is in libsvm format: the payload is empty.',
    );
  const rows: { indices: number[]; values: number[] }[] = [];
  let minIndex = Infinity;
  let maxIndex = -1;
  for (const line of text.split(/\r?\n/)) {
    const indices: number[] = [];
    const values: number[] = [];
    for (const item of line.split(/[ \t]+/)) {
      const colon = item.indexOf(':');
      if (colon < 0) continue; // the label, or an empty token
      const indexText = item.slice(0, colon);
      const valueText = item.slice(colon + 1);
      if (!/^\d+$/.test(indexText) || !isNumber(valueText)) {
        throw new ContainerError(
          415,
          `Loading libsvm data failed with Exception, please ensure data is in libsvm format: bad entry ${JSON.stringify(item)}.`,
        );
      }
      const index = Number(indexText);
      indices.push(index);
      values.push(parseNumber(valueText));
      if (index < minIndex) minIndex = index;
      if (index > maxIndex) maxIndex = index;
    }
    rows.push({ indices, values });
  }
  const shift = minIndex >= 1 && minIndex !== Infinity ? 1 : 0;
  if (maxIndex - shift >= featureCount) {
    throw new ContainerError(
      400,
      `Feature size of libsvm inference data ${maxIndex - shift + 1} is larger than feature size of trained model ${featureCount}.`,
    );
  }
  if (shift === 1)
    for (const row of rows)
      for (let k = 0; k < row.indices.length; k++) row.indices[k] = (row.indices[k] as number) - 1;
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
export function formatScore(score: number): string {
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
