/**
 * An XGBoost tree model that scores rows exactly as xgboost 1.7's CPU predictor does, float32 bit for bit:
 *
 * - a row's values are float32 (`DMatrix` stores `float`); a missing value (NaN, or an entry absent from
 *   a sparse row) goes to the node's default child, any other goes left when `value < split_condition`,
 *   compared in float32, else to `left + 1` (the predictor's `LeftChild() + !(fvalue < SplitCond())`);
 * - the margin starts at `base_score` through the objective's inverse link (`ProbToMargin`), and each
 *   tree's leaf is added to it in tree order, rounded to float32 after every addition;
 * - `binary:logistic` and `reg:logistic` end with xgboost's sigmoid (glibc `expf`, float32);
 *   `binary:logitraw` and `reg:squarederror` (and its old name `reg:linear`) return the margin.
 *
 * Everything is validated when the model is built (objective, booster, classes, categorical splits, every
 * reachable node's children and feature, no cycles), so a model that exists can score any row.
 */
import type { BoosterSpec } from './booster-spec.ts';
import { ModelFormatProblem } from './errors.ts';
import { logf, sigmoid } from './float32-math.ts';
import { checkForest, type Forest, forestFromTrees } from './forest.ts';

/** The objectives served: one score per row, their output transforms and inverse links as in xgboost 1.7. */
export const SUPPORTED_OBJECTIVES = ['binary:logistic', 'reg:logistic', 'binary:logitraw', 'reg:squarederror'] as const;

interface Objective {
  /** `PredTransform`: margin to output. */
  readonly transform: (margin: number) => number;
  /** `ProbToMargin`: `base_score` to the starting margin. */
  readonly probToMargin: (baseScore: number, objective: string) => number;
}

const identity = (value: number): number => value;

/** `LogisticRegression::ProbToMargin`: `-logf(1.0f / base_score - 1.0f)`, base_score in (0, 1). */
function logit(baseScore: number, objective: string): number {
  if (!(baseScore > 0 && baseScore < 1)) {
    throw new ModelFormatProblem(
      `base_score ${baseScore} is outside (0, 1), which ${objective} requires (xgboost refuses to load it too)`,
    );
  }
  return -logf(Math.fround(Math.fround(1 / baseScore) - 1));
}

const LOGISTIC: Objective = { transform: sigmoid, probToMargin: logit };
const RAW: Objective = { transform: identity, probToMargin: identity };

const OBJECTIVES: Readonly<Record<string, Objective>> = {
  'binary:logistic': LOGISTIC,
  'reg:logistic': LOGISTIC,
  // LogisticRaw overrides ProbToMargin too: base_score is used as the margin as is.
  'binary:logitraw': RAW,
  'reg:squarederror': RAW,
  // The name of reg:squarederror before xgboost 1.0; 1.7 still loads it as that.
  'reg:linear': RAW,
};

/**
 * A sparse row: `values[k]` is the value of 0-based column `indices[k]`; every other column is absent.
 *
 * @example
 * ```ts
 * import { loadXGBoostModel, type SparseRow } from 'sentiment-lambda';
 * const model = await loadXGBoostModel('model.ubj');
 * const row: SparseRow = { indices: [3, 17], values: [1, 2] }; // every other column is missing
 * const [score] = model.predictSparse([row]);
 * ```
 */
export interface SparseRow {
  readonly indices: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** Options of {@link XGBoostModel.fromBooster}. */
export interface XGBoostModelOptions {
  /** Shown in logs and `GET /_stats`: the file name. */
  readonly name: string;
  /** What the model is and where it comes from (the reader writes it: objective, trees, features, forms). */
  readonly description: string;
  /**
   * `best_ntree_limit`: SageMaker's container predicts with `ntree_limit=booster.best_ntree_limit` when the
   * Booster has one (early stopping), i.e. with the first `floor(limit / num_parallel_tree)` rounds only.
   * `undefined` or 0: every tree.
   */
  readonly bestNtreeLimit?: number;
}

/** A model as compiled for scoring: what {@link XGBoostModel} holds, and what the packed form stores. */
export interface CompiledModel {
  /** The objective, one of {@link SUPPORTED_OBJECTIVES} (or `reg:linear`). */
  readonly objective: string;
  /** `base_score` as xgboost holds it after loading (float32, the objective's output space). */
  readonly baseScore: number;
  /** The model's `num_feature`. */
  readonly featureCount: number;
  /** The trees scored with. */
  readonly forest: Forest;
  /** Trees in the file the model was read from (more than the forest's with `best_ntree_limit`). */
  readonly treesInModel: number;
}

/**
 * A validated XGBoost gbtree model, compiled to flat arrays for scoring.
 *
 * @example
 * ```ts
 * import { loadXGBoostModel } from 'sentiment-lambda';
 * const model = await loadXGBoostModel('model.ubj');
 * const score = model.predictCounts([3, 17], [1, 2]); // a review's word counts; every other column is 0
 * const [dense] = model.predictDense([new Float32Array(model.featureCount)]); // NaN would be a missing value
 * ```
 */
export class XGBoostModel {
  // A CompiledModel (packModel takes it as one), without `implements CompiledModel`: the published
  // declarations then need not name the compiled parts.
  /** See {@link XGBoostModelOptions.name}. */
  readonly name: string;
  /** See {@link XGBoostModelOptions.description}. */
  readonly description: string;
  /** The model's `num_feature`: the width of every dense row. */
  readonly featureCount: number;
  /** Trees the model scores with (all of them, or the first `best_ntree_limit`). */
  readonly trees: number;
  /** Trees in the file. */
  readonly treesInModel: number;
  /** The objective, one of {@link SUPPORTED_OBJECTIVES} (or `reg:linear`). */
  readonly objective: string;
  /** `base_score` as xgboost holds it after loading (float32, the objective's output space). */
  readonly baseScore: number;
  /** The margin every row starts from: `base_score` through the objective's inverse link (float32). */
  readonly baseMargin: number;
  /**
   * The trees, compiled for scoring (see {@link Forest}).
   * @internal the evaluator's own layout, for the scorers and the packed form; not in the published types.
   */
  readonly forest: Forest;
  readonly #transform: (margin: number) => number;
  #scratch: Float64Array | undefined;
  #seen: Uint8Array | undefined;
  /** A dense row of zeros but for the columns being scored: see {@link XGBoostModel.marginCounts}. */
  #zeros: Float32Array | undefined;

  /**
   * A model from its compiled parts, which must be valid: build one with {@link XGBoostModel.fromBooster}
   * (a model read from a file) or {@link XGBoostModel.fromCompiled} (the packed form).
   */
  private constructor(
    compiled: CompiledModel,
    objective: Objective,
    options: Omit<XGBoostModelOptions, 'bestNtreeLimit'>,
  ) {
    this.objective = compiled.objective;
    this.#transform = objective.transform;
    this.baseScore = compiled.baseScore;
    this.baseMargin = Number.isNaN(this.baseScore)
      ? Number.NaN
      : Math.fround(objective.probToMargin(this.baseScore, compiled.objective));
    this.featureCount = compiled.featureCount;
    this.forest = compiled.forest;
    this.trees = compiled.forest.roots.length;
    this.treesInModel = compiled.treesInModel;
    this.name = options.name;
    this.description = options.description;
  }

  /**
   * The model of a booster as a reader found it, every tree checked and compiled.
   * @throws {ModelFormatProblem} naming what is unsupported or inconsistent in the model.
   * @internal for the readers; users load a model with `loadXGBoostModel`.
   */
  static fromBooster(spec: BoosterSpec, options: XGBoostModelOptions): XGBoostModel {
    const objective = checkSupported(spec);
    if (spec.trees.length === 0) throw new ModelFormatProblem('the model has no trees');
    if (spec.treeInfo.length !== spec.trees.length) {
      throw new ModelFormatProblem(`tree_info has ${spec.treeInfo.length} entries for ${spec.trees.length} trees`);
    }
    for (let t = 0; t < spec.treeInfo.length; t++) {
      if (spec.treeInfo[t] !== 0) {
        throw new ModelFormatProblem(
          `tree ${t} belongs to output group ${spec.treeInfo[t]}: multi-class models are not supported`,
        );
      }
    }
    checkFeatureCount(spec.numFeature);
    const treeEnd = treesUsed(spec, options.bestNtreeLimit);
    const baseScore = spec.baseScoreIsMargin
      ? // xgboost 1.7 reading a pre-1.0 binary: PredTransform the stored margin back to base_score.
        objective.transform(Math.fround(spec.baseScore))
      : Math.fround(spec.baseScore);
    const compiled: CompiledModel = {
      objective: spec.objective,
      baseScore,
      featureCount: spec.numFeature,
      forest: forestFromTrees(spec.trees.slice(0, treeEnd), spec.numFeature),
      treesInModel: spec.trees.length,
    };
    return new XGBoostModel(compiled, objective, options);
  }

  /**
   * The model of compiled parts read back (the packed form), checked as a read model is: the objective
   * served, and every tree's nodes in bounds and without a cycle.
   * @throws {ModelFormatProblem} naming what is wrong.
   * @internal for the packed form's reader.
   */
  static fromCompiled(compiled: CompiledModel, options: Omit<XGBoostModelOptions, 'bestNtreeLimit'>): XGBoostModel {
    const objective = objectiveNamed(compiled.objective);
    checkFeatureCount(compiled.featureCount);
    if (compiled.forest.roots.length === 0) throw new ModelFormatProblem('the model has no trees');
    checkForest(compiled.forest, compiled.featureCount);
    return new XGBoostModel({ ...compiled, baseScore: Math.fround(compiled.baseScore) }, objective, options);
  }

  /**
   * The margin (before the objective's transform) of a dense row; NaN is a missing value, and so is a
   * column past the row's end (how {@link XGBoostModel.marginSparse} reads a short scratch row).
   */
  marginDense(row: ArrayLike<number>): number {
    const { feature, value, left, missing, roots } = this.forest;
    let margin = this.baseMargin;
    for (let t = 0; t < roots.length; t++) {
      let k = roots[t] as number;
      let f = feature[k] as number;
      while (f >= 0) {
        const x = row[f] as number;
        // False for NaN and for undefined (past the end): both are missing values.
        if (!(x >= Number.NEGATIVE_INFINITY)) k = missing[k] as number;
        else k = Math.fround(x) < (value[k] as number) ? (left[k] as number) : (left[k] as number) + 1;
        f = feature[k] as number;
      }
      margin = Math.fround(margin + (value[k] as number));
    }
    return margin;
  }

  /**
   * The margin of a row of counts, the bag of words of a review: `counts[k]` is the value of 0-based column
   * `indices[k]` for `k < distinct`, and every other column is 0, as in the dense CSV row the encoder writes
   * (0 is a value there, not a missing one). Equal to {@link XGBoostModel.marginDense} of that row, without
   * writing it: work in the trees' depth and the review's length, not in the model's width.
   * @throws {RangeError} for a column outside `0..featureCount-1`.
   */
  marginCounts(indices: ArrayLike<number>, counts: ArrayLike<number>, distinct = indices.length): number {
    this.#zeros ??= new Float32Array(this.featureCount);
    const row = this.#zeros;
    for (let i = 0; i < distinct; i++) {
      const column = indices[i] as number;
      if (!(column >= 0 && column < row.length)) {
        for (let j = 0; j < i; j++) row[indices[j] as number] = 0;
        throw new RangeError(`Column ${column} is outside 0..${this.featureCount - 1}.`);
      }
      row[column] = counts[i] as number;
    }
    const { feature, value, left, roots } = this.forest;
    let margin = this.baseMargin;
    // No value is missing: each goes left when below the split condition, as marginDense's float32 comparison.
    // A loop of its own rather than a call of marginDense (which tests for a missing value at every node and
    // meets rows of several array types): the in-process figure of `npm run bench:model` is what it buys.
    for (let t = 0; t < roots.length; t++) {
      let k = roots[t] as number;
      let f = feature[k] as number;
      while (f >= 0) {
        k = (row[f] as number) < (value[k] as number) ? (left[k] as number) : (left[k] as number) + 1;
        f = feature[k] as number;
      }
      margin = Math.fround(margin + (value[k] as number));
    }
    for (let i = 0; i < distinct; i++) row[indices[i] as number] = 0;
    return margin;
  }

  /** A margin through the objective's transform: the score xgboost predicts for a row of that margin. */
  scoreOfMargin(margin: number): number {
    return this.#transform(margin);
  }

  /** The score of a row of counts ({@link XGBoostModel.marginCounts}) through the objective's transform. */
  predictCounts(indices: ArrayLike<number>, counts: ArrayLike<number>, distinct = indices.length): number {
    return this.#transform(this.marginCounts(indices, counts, distinct));
  }

  /**
   * The margin of a sparse row: `values[k]` is the value of 0-based column `indices[k]`; a column not
   * listed is missing. A column listed twice gets the sum of its values, as SciPy's CSR matrix the XGBoost
   * container builds from libsvm input does.
   * @throws {RangeError} for a column outside `0..featureCount-1`.
   */
  marginSparse(row: SparseRow): number {
    const { indices, values } = row;
    let width = 0;
    for (let i = 0; i < indices.length; i++) {
      const column = indices[i] as number;
      if (!(Number.isInteger(column) && column >= 0 && column < this.featureCount)) {
        throw new RangeError(`Column ${column} is outside 0..${this.featureCount - 1}.`);
      }
      if (column >= width) width = column + 1;
    }
    // The scratch row only reaches the largest column used: the ones past it read as missing.
    if (this.#scratch === undefined || this.#scratch.length < width) {
      this.#scratch = new Float64Array(Math.max(width, this.#scratch?.length ?? 0, 64)).fill(Number.NaN);
      this.#seen = new Uint8Array(this.#scratch.length);
    }
    const scratch = this.#scratch;
    const seen = this.#seen as Uint8Array;
    for (let i = 0; i < indices.length; i++) {
      const column = indices[i] as number;
      const value = values[i] as number;
      if (seen[column] === 1) scratch[column] = (scratch[column] as number) + value;
      else {
        seen[column] = 1;
        scratch[column] = value;
      }
    }
    const margin = this.marginDense(scratch);
    for (let i = 0; i < indices.length; i++) {
      scratch[indices[i] as number] = Number.NaN;
      seen[indices[i] as number] = 0;
    }
    return margin;
  }

  /** One score per dense row (`featureCount` values each, NaN missing), in order. */
  predictDense(rows: readonly ArrayLike<number>[]): number[] {
    return rows.map((row) => {
      if (row.length !== this.featureCount) {
        throw new RangeError(`A row has ${row.length} features but the model has ${this.featureCount}.`);
      }
      return this.#transform(this.marginDense(row));
    });
  }

  /** One score per sparse row (absent columns missing), in order. */
  predictSparse(rows: readonly SparseRow[]): number[] {
    return rows.map((row) => this.#transform(this.marginSparse(row)));
  }
}

/**
 * The widest model served: 2^24 features, the last count a float32 (xgboost's feature index type's
 * companion) holds exactly, and 64 MB of a dense row, already half a small function's memory. A wider
 * `num_feature` is a corrupt file, refused before anything that wide is allocated.
 */
const MAX_FEATURES = 2 ** 24;

function checkFeatureCount(numFeature: number): void {
  if (!Number.isInteger(numFeature) || numFeature < 1) {
    throw new ModelFormatProblem(`num_feature is ${numFeature}: a model needs at least one feature`);
  }
  if (numFeature > MAX_FEATURES) {
    throw new ModelFormatProblem(
      `num_feature is ${numFeature}, more than the ${MAX_FEATURES} features this evaluator serves (a corrupt file?)`,
    );
  }
}

/** What the evaluator scores, as its refusals say it. */
const SUPPORTED = `the endpoint serves gbtree models with one score per row (${SUPPORTED_OBJECTIVES.join(', ')})`;

/** The objective, after refusing every model kind this endpoint cannot score as xgboost does. */
function checkSupported(spec: BoosterSpec): Objective {
  if (spec.booster === 'dart') {
    throw new ModelFormatProblem(`booster dart is not supported (DART drops trees at training time): ${SUPPORTED}`);
  }
  if (spec.booster === 'gblinear') {
    throw new ModelFormatProblem(`booster gblinear (a linear booster) is not supported: ${SUPPORTED}`);
  }
  if (spec.booster !== 'gbtree') throw new ModelFormatProblem(`booster ${spec.booster} is not supported: ${SUPPORTED}`);
  if (spec.objective.startsWith('multi:')) {
    throw new ModelFormatProblem(`objective ${spec.objective} (multi-class) is not supported: ${SUPPORTED}`);
  }
  if (spec.numClass > 1) {
    throw new ModelFormatProblem(`num_class ${spec.numClass} (multi-class) is not supported: ${SUPPORTED}`);
  }
  if (spec.numTarget > 1) {
    throw new ModelFormatProblem(`num_target ${spec.numTarget} (multi-output) is not supported: ${SUPPORTED}`);
  }
  return objectiveNamed(spec.objective);
}

/**
 * The objective named `name`, or a refusal naming the objectives served. An own property only: a file's
 * `constructor` or `toString` is an objective like any other unknown one, not `Object.prototype`'s.
 */
function objectiveNamed(name: string): Objective {
  if (!Object.hasOwn(OBJECTIVES, name)) {
    throw new ModelFormatProblem(`objective ${name} is not supported: ${SUPPORTED}`);
  }
  return OBJECTIVES[name] as Objective;
}

/**
 * How many trees xgboost predicts with, given the container's `ntree_limit` (xgboost's `LayerToTree`):
 * whole rounds of `num_parallel_tree` trees, or every tree for none. Not checked against the trees there
 * are (the model refuses a limit beyond them); the reader's description says it too.
 */
export function treesForLimit(spec: BoosterSpec, bestNtreeLimit: number | undefined): number {
  if (bestNtreeLimit === undefined || bestNtreeLimit <= 0) return spec.trees.length;
  const parallel = Math.max(spec.numParallelTree, 1);
  const rounds = Math.floor(bestNtreeLimit / parallel);
  return rounds === 0 ? spec.trees.length : rounds * parallel;
}

/** {@link treesForLimit}, refused when the model has fewer trees, as xgboost fails every prediction then. */
function treesUsed(spec: BoosterSpec, bestNtreeLimit: number | undefined): number {
  const end = treesForLimit(spec, bestNtreeLimit);
  if (end > spec.trees.length) {
    throw new ModelFormatProblem(
      `best_ntree_limit ${bestNtreeLimit} asks for ${end} trees but the model has ${spec.trees.length}: ` +
        'xgboost fails every prediction with it ("Invalid number of trees")',
    );
  }
  return end;
}
