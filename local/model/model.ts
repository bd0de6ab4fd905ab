/**
 * A linear bag-of-words sentiment model in a small JSON format, which the local endpoint can serve beside
 * XGBoost models (the AFINN-165 lexicon model, `lexicon-model.json`, is one):
 *
 * ```json
 * { "name": "...", "description": "...", "vocabulary": { "word": 0, ... }, "weights": [0.6, ...], "bias": 0 }
 * ```
 *
 * `score(row) = sigmoid(bias + sum_i weights[i] * row[i])`, where `row[i]` is the count of the word whose
 * vocabulary index is `i`: exactly the columns the encoder writes. Any vocabulary and weights in this
 * format can be served, so users can bring their own model.
 */
import { readFileSync } from 'node:fs';
import { LEXICON_MODEL_FILE } from '../../default-model/files.ts';
import { Vocabulary, VocabularyError } from '../../src/encoder/vocabulary.ts';
import { ModelFormatProblem } from '../../src/xgboost/errors.ts';
import type { SparseRow } from '../../src/xgboost/model.ts';

/** The JSON document a model file holds. */
export interface LinearModelDocument {
  /** Short identifier, shown in logs and `GET /_stats`. */
  readonly name: string;
  /** What the model is and where its weights come from. */
  readonly description: string;
  /** `word -> column index`, as scikit-learn's `CountVectorizer.vocabulary_`. */
  readonly vocabulary: Readonly<Record<string, number>>;
  /** One weight per column; `weights.length` equals the vocabulary size. */
  readonly weights: readonly number[];
  /** Added to every row's weighted sum before the sigmoid. */
  readonly bias: number;
}

/**
 * The logistic function in float64. Not xgboost's `sigmoid` (src/xgboost/float32-math.ts): that one clamps,
 * adds 1e-16 and rounds every step to float32, as xgboost does, and so gives other numbers for the same
 * sum; this model's scores are float64 throughout, as its weights are.
 */
const float64Sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** A validated linear model, ready to score rows. */
export class LinearModel {
  /** See {@link LinearModelDocument.name}. */
  readonly name: string;
  /** See {@link LinearModelDocument.description}. */
  readonly description: string;
  /** The validated vocabulary; its size is the model's feature count. */
  readonly vocabulary: Vocabulary;
  /** Number of columns every row must have (what XGBoost calls the model's feature size). */
  readonly featureCount: number;
  /** See {@link LinearModelDocument.bias}. */
  readonly bias: number;
  readonly #weights: Float64Array;

  /** @throws {ModelFormatProblem} naming the first field that does not fit the format. */
  constructor(document: unknown) {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw new ModelFormatProblem(
        'A model must be a JSON object {"name", "description", "vocabulary", "weights", "bias"}.',
      );
    }
    const { name, description, vocabulary, weights, bias } = document as Record<string, unknown>;
    if (typeof name !== 'string' || name === '') {
      throw new ModelFormatProblem('Model "name" must be a non-empty string.');
    }
    if (description !== undefined && typeof description !== 'string') {
      throw new ModelFormatProblem('Model "description" must be a string when present.');
    }
    if (vocabulary === null || typeof vocabulary !== 'object' || Array.isArray(vocabulary)) {
      throw new ModelFormatProblem('Model "vocabulary" must be an object {"word": index, ...}.');
    }
    let vocab: Vocabulary;
    try {
      vocab = new Vocabulary(vocabulary as Record<string, unknown>);
    } catch (error) {
      if (error instanceof VocabularyError) throw new ModelFormatProblem(`Model "vocabulary": ${error.message}`);
      throw error;
    }
    if (!Array.isArray(weights)) throw new ModelFormatProblem('Model "weights" must be an array of numbers.');
    if (weights.length !== vocab.size) {
      throw new ModelFormatProblem(
        `Model "weights" has ${weights.length} entries but the vocabulary has ${vocab.size} words: one weight per word is needed.`,
      );
    }
    const checked = new Float64Array(weights.length);
    for (let i = 0; i < weights.length; i++) {
      const weight: unknown = weights[i];
      if (typeof weight !== 'number' || !Number.isFinite(weight)) {
        throw new ModelFormatProblem(`Model "weights"[${i}] is ${JSON.stringify(weight)}, not a finite number.`);
      }
      checked[i] = weight;
    }
    if (typeof bias !== 'number' || !Number.isFinite(bias)) {
      throw new ModelFormatProblem('Model "bias" must be a finite number.');
    }
    this.name = name;
    this.description = description ?? '';
    this.vocabulary = vocab;
    this.featureCount = vocab.size;
    this.bias = bias;
    this.#weights = checked;
  }

  /**
   * Scores one row of feature values (word counts), `row.length === featureCount`; absent
   * (`undefined`/`NaN`) values count as 0, as a missing value contributes nothing to a linear model.
   */
  scoreRow(row: ArrayLike<number>): number {
    if (row.length !== this.featureCount) {
      throw new RangeError(`A row has ${row.length} features but the model has ${this.featureCount}.`);
    }
    let sum = this.bias;
    const weights = this.#weights;
    for (let i = 0; i < row.length; i++) {
      const value = row[i] as number;
      if (value) sum += (weights[i] as number) * value;
    }
    return float64Sigmoid(sum);
  }

  /** Scores a sparse row: `values[k]` is the value of column `indices[k]` (0-based), other columns are 0. */
  scoreSparse(indices: ArrayLike<number>, values: ArrayLike<number>): number {
    let sum = this.bias;
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k] as number;
      if (!Number.isInteger(index) || index < 0 || index >= this.featureCount) {
        throw new RangeError(`Column ${index} is outside 0..${this.featureCount - 1}.`);
      }
      sum += (this.#weights[index] as number) * (values[k] as number);
    }
    return float64Sigmoid(sum);
  }

  /** One score in `[0, 1]` per row, in order. */
  predict(rows: readonly ArrayLike<number>[]): number[] {
    return rows.map((row) => this.scoreRow(row));
  }

  /** One score per dense row, as the local endpoint asks: {@link LinearModel.predict}. */
  predictDense(rows: readonly ArrayLike<number>[]): number[] {
    return this.predict(rows);
  }

  /** One score per sparse row, as the local endpoint asks: {@link LinearModel.scoreSparse} per row (absent columns count 0). */
  predictSparse(rows: readonly SparseRow[]): number[] {
    return rows.map((row) => this.scoreSparse(row.indices, row.values));
  }

  /** The weight of `word`, or `undefined` when the word is not in the vocabulary. */
  weightOf(word: string): number | undefined {
    const index = this.vocabulary.indexOf(word);
    return index === undefined ? undefined : this.#weights[index];
  }

  /**
   * This model's weights on the columns of another vocabulary: a word of `vocabulary` keeps its weight
   * here, or gets 0 when this model does not know it; words outside `vocabulary` drop out. The result
   * accepts rows as wide as `vocabulary`: the lexicon served against another vocabulary, as the cold-start
   * A/B does for a revision whose bundled vocabulary is not the default model's.
   */
  onVocabulary(vocabulary: Vocabulary, name = `${this.name}-on-${vocabulary.size}-words`): LinearModel {
    const words = vocabulary.wordsByColumn;
    return new LinearModel({
      name,
      description: `${this.description} Weights moved onto a ${vocabulary.size}-word vocabulary (0 for words it lacks).`,
      vocabulary: Object.fromEntries(words.map((word, column) => [word, column])),
      weights: words.map((word) => this.weightOf(word) ?? 0),
      bias: this.bias,
    });
  }

  /** The document this model was built from (vocabulary as a plain object). */
  toJSON(): LinearModelDocument {
    return {
      name: this.name,
      description: this.description,
      vocabulary: this.vocabulary.toJSON(),
      weights: [...this.#weights],
      bias: this.bias,
    };
  }
}

/**
 * Parses a model document from JSON text.
 * @throws {ModelFormatProblem} when the text is not JSON or not a valid model.
 */
export function parseModel(text: string): LinearModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatProblem(`The model is not valid JSON: ${(error as Error).message}`);
  }
  return new LinearModel(parsed);
}

/**
 * Reads and validates a model file.
 * @throws {ModelFormatProblem} naming the file when it cannot be read or is not a valid model.
 */
function loadModel(file: string | URL): LinearModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelFormatProblem(`Cannot read model file ${String(file)}: ${(error as Error).message}`);
  }
  try {
    return parseModel(text);
  } catch (error) {
    if (error instanceof ModelFormatProblem) throw new ModelFormatProblem(`${String(file)}: ${error.message}`);
    throw error;
  }
}

let lexiconModel: LinearModel | undefined;

/** The AFINN-165 lexicon model (`default-model/lexicon-model.json`, `npm run model:lexicon`), loaded once. */
export function loadLexiconModel(): LinearModel {
  lexiconModel ??= loadModel(LEXICON_MODEL_FILE);
  return lexiconModel;
}
