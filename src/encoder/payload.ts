/**
 * Request bodies for the SageMaker XGBoost endpoint: one row (line) per review, one endpoint call.
 */
import { bagOfWordsFor, type TransientWordCounts, type WordCounts } from './bag-of-words.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * The wire format of the request body.
 *
 * - `csv` (default): the dense row, every vocabulary column, comma-joined, as SageMaker's XGBoost
 *   container reads `text/csv` and as models trained on CSV rows expect; byte for byte the body of the
 *   reference preprocessing (scripts/original_preprocessing.py).
 * - `libsvm`: a sparse row, `0 <column>:<count> ...`, columns 0-based as the XGBoost container reads
 *   them (it builds its matrix of the indices as given; xgboost reads libsvm training files 0-based too).
 *   Smaller, but XGBoost reads an absent entry of a sparse row as a *missing value*, not as 0: predictions
 *   equal the CSV ones only for a model trained on sparse (libsvm) input, and a review with no vocabulary
 *   word last in a batch gets no score from the container (502). The leading `0` is the label field,
 *   which inference ignores.
 *
 * @example
 * ```ts
 * import { createHandler, type PayloadFormat } from 'sentiment-lambda';
 * const payloadFormat: PayloadFormat = 'libsvm'; // only for a model trained on sparse rows
 * export const handler = createHandler({ endpointName: 'sentiment', vocabulary: { source: 'vocabulary.json' }, payloadFormat });
 * ```
 */
export type PayloadFormat = 'csv' | 'libsvm';

/**
 * The content types of {@link PayloadFormat}, as sent in `Content-Type`.
 *
 * @example
 * ```ts
 * import { PAYLOAD_CONTENT_TYPES } from 'sentiment-lambda';
 * const contentType = PAYLOAD_CONTENT_TYPES.libsvm; // 'text/libsvm'
 * ```
 */
export const PAYLOAD_CONTENT_TYPES = { csv: 'text/csv', libsvm: 'text/libsvm' } as const satisfies Record<
  PayloadFormat,
  string
>;

/** Every {@link PayloadFormat}. */
export const PAYLOAD_FORMATS = Object.keys(PAYLOAD_CONTENT_TYPES) as readonly PayloadFormat[];

/** The dense CSV row, which models trained on CSV read: every factory's default. */
export const DEFAULT_PAYLOAD_FORMAT: PayloadFormat = 'csv';

/** Whether `format` names a {@link PayloadFormat}. */
export const isPayloadFormat = (format: unknown): format is PayloadFormat =>
  typeof format === 'string' && Object.hasOwn(PAYLOAD_CONTENT_TYPES, format);

/**
 * An encoded request body and what was counted on the way.
 *
 * @example
 * ```ts
 * import { type EncodedPayload, payloadEncoderFor, Vocabulary } from 'sentiment-lambda';
 * const encoder = payloadEncoderFor(Vocabulary.fromWords(['bad', 'good']));
 * const payload: EncodedPayload = encoder.encode(['Good', 'Bad, bad']);
 * // body '0,1\n2,0', contentType 'text/csv', rows 2, words 3, knownWords 3
 * ```
 */
export interface EncodedPayload {
  /** The request body: one line per review, joined with `\n`, no trailing newline. */
  readonly body: string;
  /** The body's `Content-Type`. */
  readonly contentType: (typeof PAYLOAD_CONTENT_TYPES)[PayloadFormat];
  /** Number of rows, one per review. */
  readonly rows: number;
  /** Words in all reviews after preprocessing. */
  readonly words: number;
  /** Of those, words found in the vocabulary. */
  readonly knownWords: number;
}

/**
 * Encodes reviews into one request body.
 *
 * @example
 * ```ts
 * import { payloadEncoderFor, Vocabulary } from 'sentiment-lambda';
 * const encoder = payloadEncoderFor(Vocabulary.fromWords(['bad', 'good']), 'libsvm');
 * const row = encoder.encodeRow('Good, good'); // '0 1:2'
 * ```
 */
export interface PayloadEncoder {
  readonly format: PayloadFormat;
  readonly vocabulary: Vocabulary;
  /** Encodes each review as one row; several reviews give several rows for one endpoint call. */
  encode(reviews: readonly string[]): EncodedPayload;
  /** Encodes reviews already counted (`BagOfWords.countAll`), one row each. */
  encodeRows(rows: readonly WordCounts[]): EncodedPayload;
  /** One review's row, without a line ending. */
  encodeRow(review: string): string;
}

type RowWriter = (counts: Pick<TransientWordCounts, 'indices' | 'counts' | 'distinct'>) => string;

/**
 * The dense CSV row, written from a template. Every request's row is mostly `0,0,0,...`: the all-zero
 * row is built once per vocabulary (column `i`'s `0` at byte `2i`). A review's single-digit counts
 * are written over their `0`s, the row is read out, and those bytes are put back to `0`: the row
 * costs work in the review's length, not in the vocabulary's, apart from the one copy into a string.
 * Counts of 10 or more are wider than their slot: those rarer rows (about 2% of the corpus) are
 * assembled from pieces of the template in a second buffer.
 */
function csvRowWriter(vocabulary: Vocabulary): RowWriter {
  const template = Buffer.from(`${'0,'.repeat(vocabulary.size - 1)}0`, 'latin1');
  const row = Buffer.from(template); // equal to `template` between calls
  let wide = Buffer.allocUnsafe(template.length + 64);
  const ZERO = 0x30;
  return ({ indices, counts, distinct }) => {
    let extra = 0;
    for (let k = 0; k < distinct; k++) {
      const count = counts[k] as number;
      if (count >= 10) extra += String(count).length - 1;
    }
    if (extra === 0) {
      for (let k = 0; k < distinct; k++) row[2 * (indices[k] as number)] = ZERO + (counts[k] as number);
      const text = row.toString('latin1');
      for (let k = 0; k < distinct; k++) row[2 * (indices[k] as number)] = ZERO;
      return text;
    }
    // Some count is 10 or more: copy the template around the wide counts, in ascending column order.
    const length = template.length + extra;
    if (wide.length < length) wide = Buffer.allocUnsafe(length * 2);
    let at = 0;
    let from = 0;
    for (let k = 0; k < distinct; k++) {
      const slot = 2 * (indices[k] as number);
      at += template.copy(wide, at, from, slot);
      at += wide.write(String(counts[k] as number), at, 'latin1');
      from = slot + 1;
    }
    template.copy(wide, at, from);
    return wide.toString('latin1', 0, length);
  };
}

function libsvmRowWriter(): RowWriter {
  return ({ indices, counts, distinct }) => {
    let row = '0';
    for (let k = 0; k < distinct; k++) row += ` ${indices[k] as number}:${counts[k] as number}`;
    return row;
  };
}

/** Builds an encoder; prefer {@link payloadEncoderFor}, which builds it once per vocabulary and format. */
export function createPayloadEncoder(vocabulary: Vocabulary, format = DEFAULT_PAYLOAD_FORMAT): PayloadEncoder {
  const bagOfWords = bagOfWordsFor(vocabulary);
  const writeRow = format === 'csv' ? csvRowWriter(vocabulary) : libsvmRowWriter();
  const contentType = PAYLOAD_CONTENT_TYPES[format];
  return {
    format,
    vocabulary,
    encodeRow: (review) => writeRow(bagOfWords.countTransient(review)),
    encode(reviews) {
      let body = '';
      let words = 0;
      let knownWords = 0;
      for (let r = 0; r < reviews.length; r++) {
        const counts = bagOfWords.countTransient(reviews[r] as string);
        words += counts.words;
        knownWords += counts.knownWords;
        body += r === 0 ? writeRow(counts) : `\n${writeRow(counts)}`;
      }
      return { body, contentType, rows: reviews.length, words, knownWords };
    },
    encodeRows(rows) {
      let body = '';
      let words = 0;
      let knownWords = 0;
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as WordCounts;
        words += row.words;
        knownWords += row.knownWords;
        const line = writeRow({ indices: row.indices, counts: row.counts, distinct: row.indices.length });
        body += r === 0 ? line : `\n${line}`;
      }
      return { body, contentType, rows: rows.length, words, knownWords };
    },
  };
}

const encoders = new WeakMap<Vocabulary, Map<PayloadFormat, PayloadEncoder>>();

/**
 * The encoder for this vocabulary and format, built on first use and kept as long as the vocabulary
 * is: a warm Lambda reuses its templates on every request.
 *
 * @example
 * ```ts
 * import { createSageMakerClient, invokeModel, payloadEncoderFor, type Vocabulary } from 'sentiment-lambda';
 * const client = createSageMakerClient();
 * async function scoresOf(vocabulary: Vocabulary, reviews: string[]) {
 *   const payload = payloadEncoderFor(vocabulary).encode(reviews); // one row per review, one call
 *   return (await invokeModel(client, payload, { endpointName: 'sentiment' })).scores;
 * }
 * ```
 */
export function payloadEncoderFor(vocabulary: Vocabulary, format = DEFAULT_PAYLOAD_FORMAT): PayloadEncoder {
  let byFormat = encoders.get(vocabulary);
  if (byFormat === undefined) {
    byFormat = new Map();
    encoders.set(vocabulary, byFormat);
  }
  let encoder = byFormat.get(format);
  if (encoder === undefined) {
    encoder = createPayloadEncoder(vocabulary, format);
    byFormat.set(format, encoder);
  }
  return encoder;
}
