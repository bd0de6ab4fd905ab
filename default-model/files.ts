/**
 * The default model: the demo pair that `npm start` serves and that `npm run build` bundles when no model
 * is named. An XGBoost `binary:logistic` model (329 trees) over a 5,000-word vocabulary, trained on movie-review
 * sentences by `npm run model:train` (this folder holds the training and accuracy tooling too, outside the
 * code that serves it: see docs/default-model.md).
 */

/** The model, UBJSON as xgboost's `save_model` wrote it. */
export const DEFAULT_MODEL_FILE = new URL('./model.ubj', import.meta.url);

/** Its vocabulary, `{"word": index}`: the model's features, in column order. */
export const DEFAULT_VOCABULARY_FILE = new URL('./vocabulary.json', import.meta.url);

/** How the model was made and how well it does (`npm run model:train` writes it). */
export const DEFAULT_MODEL_CARD_FILE = new URL('./card.json', import.meta.url);

/** The AFINN-165 lexicon as a linear model (`npm run model:lexicon`): the accuracy report's baseline. */
export const LEXICON_MODEL_FILE = new URL('./lexicon-model.json', import.meta.url);
