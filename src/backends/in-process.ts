/**
 * The in-process backend: the model in the function (`context.model`, set by the model middleware) scores
 * each row's word counts directly. No request body is written or parsed, and no network is crossed; the
 * scores are the ones the SageMaker XGBoost container answers for the same rows, bit for bit.
 */
import type { PayloadFormat } from '../encoder/payload.ts';
import { explanationOf } from '../explanation.ts';
import { clientError } from '../http/errors.ts';
import { monotonicMs, roundMs } from '../monotonic-clock.ts';
import { ModelFormatProblem } from '../xgboost/errors.ts';
import type { XGBoostModel } from '../xgboost/model.ts';
import type { ScoringBackend } from './backend.ts';

/**
 * What the in-process backend needs in the context: the model, set by the model middleware.
 *
 * @example
 * ```ts
 * import type { Context } from 'aws-lambda';
 * import type { ScoringModelContext } from 'sentiment-lambda';
 * // Set by modelMiddleware: the model the in-process backend scores with.
 * const widthOf = (context: Context & ScoringModelContext) => context.model.featureCount;
 * ```
 */
export interface ScoringModelContext {
  model: XGBoostModel;
}

/**
 * Options of {@link inProcessBackend}.
 *
 * @example
 * ```ts
 * import { inProcessBackend } from 'sentiment-lambda';
 * const backend = inProcessBackend({ payloadFormat: 'libsvm' }); // a model trained on sparse rows
 * ```
 */
export interface InProcessBackendOptions {
  /**
   * How an absent word is read, as the endpoint reads the body of that format: `csv` (default) as 0, a
   * value (the dense CSV row the encoder writes); `libsvm` as a missing value (a sparse row). So a model scores
   * the same in the function as behind an endpoint given the same `payloadFormat`.
   */
  readonly payloadFormat: PayloadFormat;
}

/**
 * Scores with the model in the function.
 *
 * @example
 * ```ts
 * import { createReviewClassifier, inProcessBackend } from 'sentiment-lambda';
 * // It scores with `context.model`: register modelMiddleware in the chain.
 * const classify = createReviewClassifier({ backend: inProcessBackend({ payloadFormat: 'csv' }) });
 * ```
 */
export function inProcessBackend({ payloadFormat }: InProcessBackendOptions): ScoringBackend<ScoringModelContext> {
  const absentIsMissing = payloadFormat === 'libsvm';
  return {
    name: 'in-process',
    async score({ rows }, { context, report }) {
      const { model } = context;
      const started = monotonicMs();
      const scores = rows.map((row) =>
        absentIsMissing
          ? model.scoreOfMargin(model.marginSparse({ indices: row.indices, values: row.counts }))
          : model.predictCounts(row.indices, row.counts),
      );
      if (report) report.modelLatencyMs = roundMs(monotonicMs() - started);
      return scores;
    },
    async explain({ rows, vocabulary }, { context, report }) {
      const { model } = context;
      // TreeSHAP is loaded by the first request that asks for it: a function that is never asked never pays.
      const { treeShap } = await import('../xgboost/tree-shap.ts');
      const started = monotonicMs();
      try {
        const explained = rows.map((row) => {
          const split = treeShap(model, { indices: row.indices, counts: row.counts }, absentIsMissing);
          return { score: model.scoreOfMargin(split.margin), explanation: explanationOf(split, row, vocabulary) };
        });
        if (report) report.modelLatencyMs = roundMs(monotonicMs() - started);
        return explained;
      } catch (error) {
        if (!(error instanceof ModelFormatProblem)) throw error;
        throw clientError(
          400,
          `This model cannot explain its scores (${error.message}): ask without "explain", or deploy a model file that has them.`,
          { cause: error },
        );
      }
    },
  };
}
