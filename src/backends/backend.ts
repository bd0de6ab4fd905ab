/**
 * What the core handler scores with: a backend takes the reviews' rows (each review's bag of words, in
 * request order) and answers one score per row. Two implement it, beside each other: the SageMaker
 * endpoint (./sagemaker.ts) and the model in the function (./in-process.ts). The handler does not know
 * which one it has.
 */
import type { CountedReviews } from '../encoder/bag-of-words.ts';
import type { Vocabulary } from '../encoder/vocabulary.ts';
import type { Explanation } from '../explanation.ts';
import type { RequestReport } from '../request-state.ts';

/**
 * The rows to score, and the vocabulary whose columns they count.
 *
 * @example
 * ```ts
 * import { bagOfWordsFor, type ScoringRows, type Vocabulary } from 'sentiment-lambda';
 * const rowsOf = (vocabulary: Vocabulary, reviews: string[]): ScoringRows => ({
 *   ...bagOfWordsFor(vocabulary).countAll(reviews),
 *   vocabulary,
 * });
 * ```
 */
export interface ScoringRows extends CountedReviews {
  readonly vocabulary: Vocabulary;
}

/**
 * What a backend gets with the rows of one request.
 *
 * @example
 * ```ts
 * import type { ScoringCall, ScoringRows } from 'sentiment-lambda';
 * // A backend's score(): give up once the request's deadline has passed, and report what was measured.
 * async function score({ rows }: ScoringRows, { signal, report }: ScoringCall<unknown>): Promise<number[]> {
 *   signal.throwIfAborted();
 *   if (report) report.modelLatencyMs = 0.01;
 *   return rows.map((row) => (row.knownWords > 0 ? 0.75 : 0.5));
 * }
 * ```
 */
export interface ScoringCall<TContext> {
  /** The request's Lambda context, with what the middlewares added (the in-process model). */
  readonly context: TContext;
  /** Aborted when the request runs past its deadline (Middy's `timeoutEarlyInMillis`). */
  readonly signal: AbortSignal;
  /** The request's report, for the log and the metrics: the backend adds what it measured. */
  readonly report: RequestReport | undefined;
}

/**
 * Scores rows of word counts.
 *
 * @example
 * ```ts
 * import { createReviewClassifier, type ScoringBackend } from 'sentiment-lambda';
 * // A backend of your own: one score per row, in order. `name` is how the request log names its kind.
 * const backend: ScoringBackend = {
 *   name: 'in-process',
 *   async score({ rows }) {
 *     return rows.map((row) => (row.knownWords > 0 ? 0.75 : 0.5));
 *   },
 * };
 * const classify = createReviewClassifier({ backend });
 * ```
 */
export interface ScoringBackend<TContext = unknown> {
  /** How the logs name it: `sagemaker` (an endpoint call) or `in-process` (the model in the function). */
  readonly name: 'sagemaker' | 'in-process';
  /**
   * One score per row, in order, as the model's output (a probability for `binary:logistic`).
   * @throws {HttpError} an error a client can act on (413, 502, 503, 504), the cause attached for the log.
   */
  score(rows: ScoringRows, call: ScoringCall<TContext>): Promise<readonly number[]>;
  /**
   * Each row's score and why: only a backend that holds the model can say (the in-process one). The
   * handler answers a request for explanations with a 400 when its backend has no `explain`.
   * @throws {HttpError} as `score`, and a 400 when the model cannot explain itself (its file has no node covers).
   */
  explain?(rows: ScoringRows, call: ScoringCall<TContext>): Promise<readonly ExplainedScore[]>;
}

/**
 * A row's score and its explanation.
 *
 * @example
 * ```ts
 * import type { ExplainedScore } from 'sentiment-lambda';
 * const summary = ({ score, explanation }: ExplainedScore) =>
 *   `${score.toFixed(2)}, mostly "${explanation.words[0]?.word ?? 'no known word'}"`;
 * ```
 */
export interface ExplainedScore {
  readonly score: number;
  readonly explanation: Explanation;
}
