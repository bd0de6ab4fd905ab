/**
 * What the offline stack serves: a model and the vocabulary the handler encodes reviews with, which
 * must be exactly as wide. By default, the XGBoost model trained on the sentence-polarity sentences
 * (`npm run model:train`, see docs/default-model.md) and its 5,000-word vocabulary, which `npm run
 * build` also bundles into the Lambda.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_CARD_FILE, DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { fileErrorReason } from '../../src/source/file-errors.ts';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { loadServedModel, type ServedModel } from '../endpoint/served-model.ts';
import { LinearModel } from './model.ts';

/** A model to serve, with the vocabulary to encode for it. */
export interface LocalModel {
  readonly model: ServedModel;
  readonly vocabulary: Vocabulary;
  /** The model file, as given. */
  readonly modelFile: string;
  /** The vocabulary file, or the model file when the vocabulary came inside it (a linear model). */
  readonly vocabularyFile: string;
  /** Accuracy on the held-out sentences, when the model is the default (its card says). */
  readonly heldOutAccuracy?: number;
}

/** Where {@link loadLocalModel} reads from; each one missing is the default's. */
export interface LocalModelFiles {
  /** Any form of XGBoost model `loadServedModel` reads, or a linear model JSON. Default: the default model. */
  readonly modelFile?: string | URL;
  /**
   * A vocabulary file in either JSON form. Default: a linear model's own vocabulary, else the default vocabulary.
   */
  readonly vocabularyFile?: string | URL;
}

const path = (file: string | URL): string => (file instanceof URL ? fileURLToPath(file) : file);

/**
 * Loads a model and its vocabulary, and checks that they fit: the handler's rows are as wide as the
 * vocabulary, and the model takes rows of exactly `featureCount` columns.
 * @throws {ModelLoadError} naming the file and what is wrong, or both sizes when they differ.
 */
export async function loadLocalModel(files: LocalModelFiles = {}): Promise<LocalModel> {
  const modelFile = path(files.modelFile ?? DEFAULT_MODEL_FILE);
  const model = await loadServedModel(modelFile);
  let vocabulary: Vocabulary;
  let vocabularyFile: string;
  if (files.vocabularyFile === undefined && model instanceof LinearModel) {
    vocabulary = model.vocabulary;
    vocabularyFile = modelFile;
  } else {
    vocabularyFile = path(files.vocabularyFile ?? DEFAULT_VOCABULARY_FILE);
    try {
      vocabulary = Vocabulary.fromJSON(readFileSync(vocabularyFile, 'utf8'));
    } catch (error) {
      throw new ModelLoadError(vocabularyFile, `cannot read the vocabulary: ${fileErrorReason(error)}`, {
        cause: error,
      });
    }
  }
  if (vocabulary.size !== model.featureCount) {
    throw new ModelLoadError(
      modelFile,
      `the model takes ${model.featureCount} features, but the vocabulary ${vocabularyFile} has ${vocabulary.size} words: ` +
        'give the vocabulary the model was trained with (--vocabulary FILE).',
    );
  }
  const isDefault = modelFile === path(DEFAULT_MODEL_FILE) && vocabularyFile === path(DEFAULT_VOCABULARY_FILE);
  return { model, vocabulary, modelFile, vocabularyFile, ...(isDefault ? { heldOutAccuracy: defaultAccuracy() } : {}) };
}

let defaultModel: Promise<LocalModel> | undefined;

/** The default model and vocabulary, loaded once. */
export function loadDefaultModel(): Promise<LocalModel> {
  defaultModel ??= loadLocalModel();
  return defaultModel;
}

function defaultAccuracy(): number | undefined {
  const card = JSON.parse(readFileSync(DEFAULT_MODEL_CARD_FILE, 'utf8')) as {
    heldOut?: { xgboost?: { accuracy?: number } };
  };
  return card.heldOut?.xgboost?.accuracy;
}
