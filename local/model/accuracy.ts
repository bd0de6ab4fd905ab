/**
 * Accuracy of the default model on `labelled-sentences.jsonl`, measured the way the deployed system
 * sees a review: the project's real encoder writes the CSV row, the local endpoint's payload parser
 * reads it, the model scores it, and the original handler's `round()` (half to even: 0.5 -> 0) turns
 * the score into a label. Prints accuracy and a confusion matrix; writes no files.
 *
 * Run: `npm run model:accuracy`.
 */
import { pythonRound } from '../../src/sentiment.ts';
import { readFileSync } from 'node:fs';
import { createPayloadEncoder } from '../../src/encoder/payload.ts';
import { parseCsv } from '../endpoint/payload-parser.ts';
import { type LinearModel, loadDefaultModel } from './model.ts';

/** One labelled sentence: `label` 1 is positive, 0 negative. */
export interface LabelledSentence {
  readonly text: string;
  readonly label: 0 | 1;
}

/** The labelled set shipped beside this file. */
export const LABELLED_SENTENCES_FILE = new URL('./labelled-sentences.jsonl', import.meta.url);

/** Reads a JSON-lines file of `{"text", "label"}`. */
export function loadLabelledSentences(file: string | URL = LABELLED_SENTENCES_FILE): LabelledSentence[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, n) => {
      const { text, label } = JSON.parse(line) as { text: unknown; label: unknown };
      if (typeof text !== 'string' || (label !== 0 && label !== 1)) {
        throw new Error(`${String(file)} line ${n + 1}: expected {"text": string, "label": 0 | 1}.`);
      }
      return { text, label };
    });
}

/** Counts of predicted vs. true labels. */
export interface Evaluation {
  readonly accuracy: number;
  readonly truePositive: number;
  readonly falseNegative: number;
  readonly falsePositive: number;
  readonly trueNegative: number;
  /** Sentences the model got wrong, with their scores. */
  readonly errors: readonly { readonly text: string; readonly label: 0 | 1; readonly score: number }[];
}

/** Scores every sentence in one CSV batch, as one endpoint call would, and compares with the labels. */
export function evaluate(model: LinearModel, sentences: readonly LabelledSentence[]): Evaluation {
  const payload = createPayloadEncoder(model.vocabulary, 'csv').encode(sentences.map((s) => s.text));
  const scores = model.predict(parseCsv(payload.body, model.featureCount));
  let truePositive = 0;
  let falseNegative = 0;
  let falsePositive = 0;
  let trueNegative = 0;
  const errors: { text: string; label: 0 | 1; score: number }[] = [];
  sentences.forEach(({ text, label }, i) => {
    const score = Math.fround(scores[i] as number); // the endpoint's float32 score
    const predicted = pythonRound(score); // as the handler answers: Python's round(), halves to even
    if (label === 1 && predicted === 1) truePositive++;
    else if (label === 1) falseNegative++;
    else if (predicted === 1) falsePositive++;
    else trueNegative++;
    if (predicted !== label) errors.push({ text, label, score });
  });
  return {
    accuracy: (truePositive + trueNegative) / sentences.length,
    truePositive,
    falseNegative,
    falsePositive,
    trueNegative,
    errors,
  };
}

if (import.meta.main) {
  const sentences = loadLabelledSentences();
  const model = loadDefaultModel();
  const result = evaluate(model, sentences);
  const pad = (value: number | string): string => String(value).padStart(10);
  console.log(`Model ${model.name}: ${model.featureCount} words.`);
  console.log(`Labelled set: ${sentences.length} sentences (${sentences.filter((s) => s.label === 1).length} positive).`);
  console.log(`Accuracy: ${(result.accuracy * 100).toFixed(1)}% (${sentences.length - result.errors.length}/${sentences.length})`);
  console.log('');
  console.log(`${pad('')}${pad('pred 1')}${pad('pred 0')}`);
  console.log(`${pad('true 1')}${pad(result.truePositive)}${pad(result.falseNegative)}`);
  console.log(`${pad('true 0')}${pad(result.falsePositive)}${pad(result.trueNegative)}`);
  console.log('');
  console.log('Misclassified:');
  for (const { text, label, score } of result.errors) console.log(`  [${label}] ${score.toFixed(3)}  ${text}`);
}
