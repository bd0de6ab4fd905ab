/**
 * What the local endpoint serves, whatever the model: `featureCount` columns in, one score per row out.
 * Two kinds implement it: the linear bag-of-words model of `local/model/model.ts` (its JSON format) and
 * XGBoost models in any of xgboost's and SageMaker's forms (`src/xgboost/load.ts`). {@link loadServedModel} tells them apart
 * by the file's content.
 */

import { basename } from 'node:path';
import { ModelFormatProblem, ModelLoadError } from '../../src/xgboost/errors.ts';
import { readModelFile, readXGBoostModel } from '../../src/xgboost/load.ts';
import type { SparseRow } from '../../src/xgboost/model.ts';
import { LinearModel } from '../model/model.ts';

/** A model the local endpoint can serve. */
export interface ServedModel {
  /** Short identifier, shown in logs and `GET /_stats`. */
  readonly name: string;
  /** What the model is and where it comes from. */
  readonly description: string;
  /** Columns of a dense row: the model's feature size, which a CSV row's width must equal. */
  readonly featureCount: number;
  /** Trees scored per row (XGBoost); `undefined` for a model without trees. */
  readonly trees?: number;
  /** One score per dense row (`featureCount` values; NaN is a missing value), in order. */
  predictDense(rows: readonly ArrayLike<number>[]): number[];
  /** One score per sparse row (an absent column is a missing value), in order. */
  predictSparse(rows: readonly SparseRow[]): number[];
}

/**
 * Loads the model in `file`: a linear model document (`{"vocabulary", "weights", "bias", ...}`) or an
 * XGBoost model in any form `loadXGBoostModel` reads, told apart by content, not by name.
 * @throws {ModelLoadError} naming the file and what is wrong with it.
 */
export async function loadServedModel(file: string | URL): Promise<ServedModel> {
  const { bytes, label } = readModelFile(file);
  const linear = linearDocument(bytes);
  if (linear !== undefined) {
    try {
      return new LinearModel(linear);
    } catch (error) {
      if (error instanceof ModelFormatProblem) throw new ModelLoadError(label, error.message, { cause: error });
      throw error;
    }
  }
  return (await readXGBoostModel(bytes, label, { name: basename(label) })).model;
}

/** The parsed document when `bytes` are a linear model's JSON (an object with `weights`, and no `learner`). */
function linearDocument(bytes: Buffer): object | undefined {
  let start = 0;
  while (
    start < bytes.length &&
    (bytes[start] === 0x20 || bytes[start] === 0x0a || bytes[start] === 0x0d || bytes[start] === 0x09)
  )
    start++;
  if (bytes[start] !== 0x7b) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined; // not standard JSON: UBJSON, or xgboost JSON with NaN
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  return 'weights' in document && !('learner' in document) ? document : undefined;
}
