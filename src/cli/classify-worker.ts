/**
 * A `classify` worker thread (run by tinypool, see classify-pool.ts): it reads the model and the vocabulary
 * once, when it starts, then scores the batches of reviews it is sent.
 */
import { enableCompileCache } from 'node:module';
import Tinypool from 'tinypool';
import type { ReviewScorer } from './classify-scorer.ts';

/** What every worker is started with: the bytes the main thread read and checked, not paths to read again. */
export interface ClassifyWorkerData {
  /** The model in any form `readXGBoostModel` reads; the command sends it packed, the fastest to read. */
  readonly modelBytes: Uint8Array;
  /** The model file's name, for messages. */
  readonly modelLabel: string;
  readonly vocabularyText: string;
  /** Each result with its explanation (`--explain`). */
  readonly explain: boolean;
}

// As main.ts does, before the modules that do the work load (so they are imported dynamically): a thread
// has its own module loader, and reads their compiled code from the disk cache rather than compiling it.
enableCompileCache();
const [{ Vocabulary }, { readXGBoostModel }, { createReviewScorer }] = await Promise.all([
  import('../encoder/vocabulary.ts'),
  import('../xgboost/load.ts'),
  import('./classify-scorer.ts'),
]);
const data = Tinypool.workerData as ClassifyWorkerData;
const { model } = await readXGBoostModel(data.modelBytes, data.modelLabel);
const score: ReviewScorer = createReviewScorer(model, Vocabulary.fromJSON(data.vocabularyText), data.explain);

/** Scores one batch: one JSON result line per review, in order. */
export default function scoreBatch(reviews: readonly string[]): string {
  return score(reviews);
}
