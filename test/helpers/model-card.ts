/**
 * What `npm start` and the web page should say about the default model, from its card
 * (default-model/card.json, which `npm run model:train` rewrites): the tests follow a
 * retrained model without being edited.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL_CARD_FILE } from '../../default-model/files.ts';

const card = JSON.parse(readFileSync(DEFAULT_MODEL_CARD_FILE, 'utf8')) as {
  model: { trees: number; features: number };
  heldOut: { xgboost: { accuracy: number } };
};

/** E.g. `XGBoost, 329 trees, 5000 features, 73.1% right on held-out sentences`. */
export const DEFAULT_MODEL_FACTS =
  `XGBoost, ${card.model.trees} trees, ${card.model.features} features, ` +
  `${(100 * card.heldOut.xgboost.accuracy).toFixed(1)}% right on held-out sentences`;
