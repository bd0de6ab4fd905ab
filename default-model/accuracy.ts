/**
 * Accuracy of the default XGBoost model on the held-out part of the sentence polarity data (see
 * `sentence-polarity.ts`: never seen by training or tuning), beside the AFINN-165 lexicon model's on the
 * same sentences, measured the way the deployed system sees a review: the project's real encoder writes
 * the CSV rows, a {@link Scorer} scores them, and the original handler's `round()` (half to even:
 * 0.5 -> 0) turns each score into a label. Prints both accuracies and confusion matrices, draws
 * `docs/default-model-scores.svg`, and checks the figures against `default-model.card.json`.
 *
 * Run: `npm run model:accuracy` (`-- --json` prints the figures as JSON, for `default-model/train.py`).
 * It needs the data (`SENTENCE_POLARITY_FILE`); without it, it prints what the data is and exits 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { loadDefaultModel } from '../local/model/default-model.ts';
import { type LinearModel, loadLexiconModel } from '../local/model/model.ts';
import { createPayloadEncoder } from '../src/encoder/payload.ts';
import type { Vocabulary } from '../src/encoder/vocabulary.ts';
import { pythonRound } from '../src/sentiment.ts';
import { DEFAULT_MODEL_CARD_FILE } from './files.ts';
import { rocAuc, rocCurve, scoreChartSvg } from './score-chart.ts';
import { modelScorer, type Scorer } from './scorers.ts';
import {
  loadSentencePolarity,
  type PolarityData,
  parseLabelledLines,
  SentencePolarityDataError,
  sentencesOf,
} from './sentence-polarity.ts';

/** One labelled sentence: `label` 1 is positive, 0 negative. */
export interface LabelledSentence {
  readonly text: string;
  readonly label: 0 | 1;
}

/** The 130 hand-written sentences shipped beside this file (a smoke set for the lexicon model). */
const LABELLED_SENTENCES_FILE = new URL('./labelled-sentences.jsonl', import.meta.url);

/** The picture of the held-out scores, linked from `docs/default-model.md`. */
export const SCORE_CHART_FILE = new URL('../docs/default-model-scores.svg', import.meta.url);

/** Reads a JSON-lines file of `{"text", "label"}`. */
export function loadLabelledSentences(file: string | URL = LABELLED_SENTENCES_FILE): LabelledSentence[] {
  return parseLabelledLines(readFileSync(file, 'utf8'), file);
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

/** Compares `scores` (one per sentence, in order) with the labels, rounding as the handler does. */
function evaluateScores(sentences: readonly LabelledSentence[], scores: readonly number[]): Evaluation {
  let truePositive = 0;
  let falseNegative = 0;
  let falsePositive = 0;
  let trueNegative = 0;
  const errors: { text: string; label: 0 | 1; score: number }[] = [];
  sentences.forEach(({ text, label }, i) => {
    const score = scores[i] as number;
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

/** Encodes the sentences as one CSV request body (one row each) and scores it with `scorer`. */
export function scoreSentences(
  scorer: Scorer,
  vocabulary: Vocabulary,
  sentences: readonly LabelledSentence[],
): number[] {
  const payload = createPayloadEncoder(vocabulary, 'csv').encode(sentences.map((s) => s.text));
  return scorer(payload.body, payload.rows);
}

/** Scores every sentence in one CSV batch, as one endpoint call would, and compares with the labels. */
export function evaluate(model: LinearModel, sentences: readonly LabelledSentence[]): Evaluation {
  return evaluateScores(sentences, scoreSentences(modelScorer(model), model.vocabulary, sentences));
}

/** A model's figures on the held-out part, as the card records them. */
export interface HeldOutFigures {
  readonly accuracy: number;
  readonly correct: number;
  readonly truePositive: number;
  readonly falseNegative: number;
  readonly falsePositive: number;
  readonly trueNegative: number;
  /** Area under the ROC curve, ties counted half. */
  readonly auc: number;
}

/** Both models on the held-out part, and their scores (same order as `sentences`). */
export interface HeldOutReport {
  readonly sentences: readonly LabelledSentence[];
  readonly xgboost: { readonly figures: HeldOutFigures; readonly scores: readonly number[] };
  readonly lexicon: { readonly figures: HeldOutFigures; readonly scores: readonly number[] };
}

const ROUNDED = 6;
const round6 = (x: number): number => Number(x.toFixed(ROUNDED));

function figures(sentences: readonly LabelledSentence[], scores: readonly number[]): HeldOutFigures {
  const { accuracy, truePositive, falseNegative, falsePositive, trueNegative } = evaluateScores(sentences, scores);
  return {
    accuracy: round6(accuracy),
    correct: truePositive + trueNegative,
    truePositive,
    falseNegative,
    falsePositive,
    trueNegative,
    auc: round6(
      rocAuc(
        rocCurve(
          scores,
          sentences.map((s) => s.label),
        ),
      ),
    ),
  };
}

/**
 * Measures the XGBoost model (through `scorer`, default: the local endpoint's evaluator of the default
 * model) and the lexicon model on the held-out part of `data`.
 */
export async function heldOutReport(
  data: PolarityData = loadSentencePolarity(),
  scorer?: Scorer,
  vocabulary?: Vocabulary,
  lexicon: LinearModel = loadLexiconModel(),
): Promise<HeldOutReport> {
  const defaults = await loadDefaultModel();
  scorer ??= modelScorer(defaults.model);
  vocabulary ??= defaults.vocabulary;
  const sentences = sentencesOf(data, 'test');
  const xgboostScores = scoreSentences(scorer, vocabulary, sentences);
  const lexiconScores = scoreSentences(modelScorer(lexicon), lexicon.vocabulary, sentences);
  return {
    sentences,
    xgboost: { figures: figures(sentences, xgboostScores), scores: xgboostScores },
    lexicon: { figures: figures(sentences, lexiconScores), scores: lexiconScores },
  };
}

/** The SVG of a report: XGBoost's score distribution by label, and both models' ROC curves. */
export function reportChartSvg(report: HeldOutReport): string {
  const labels = report.sentences.map((s) => s.label);
  const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;
  return scoreChartSvg(
    { label: 'XGBoost', color: '#2e86ab', scores: report.xgboost.scores, labels },
    [
      { label: 'XGBoost (default)', color: '#1b4965', scores: report.xgboost.scores, labels },
      { label: 'AFINN-165 lexicon', color: '#e09f3e', scores: report.lexicon.scores, labels },
    ],
    {
      title: `Held-out movie-review sentences (${report.sentences.length}, never seen in training or tuning)`,
      subtitle:
        `Accuracy after round(): XGBoost ${percent(report.xgboost.figures.accuracy)}, ` +
        `lexicon ${percent(report.lexicon.figures.accuracy)}. Left: XGBoost scores by true label. Right: ROC.`,
    },
  );
}

/** The data, or `undefined` after printing why it cannot be read (a message for a person, no stack). */
function dataOrExplain(): PolarityData | undefined {
  try {
    return loadSentencePolarity();
  } catch (error) {
    if (!(error instanceof SentencePolarityDataError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return undefined;
  }
}

const data = import.meta.main ? dataOrExplain() : undefined;
if (data !== undefined) {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const report = await heldOutReport(data);
  const svg = reportChartSvg(report);
  writeFileSync(SCORE_CHART_FILE, svg);
  const picture = 'docs/default-model-scores.svg';
  if (values.json) {
    console.log(JSON.stringify({ xgboost: report.xgboost.figures, lexicon: report.lexicon.figures, picture }));
  } else {
    const pad = (value: number | string): string => String(value).padStart(10);
    const n = report.sentences.length;
    console.log(
      `Held-out part of ${data.file}: ${n} sentences (${report.sentences.filter((s) => s.label === 1).length} positive), never seen by training or tuning.`,
    );
    for (const [name, { figures: result }] of [
      ['XGBoost (default-model/model.ubj, the default)', report.xgboost],
      ['AFINN-165 lexicon (default-model/lexicon-model.json)', report.lexicon],
    ] as const) {
      console.log('');
      console.log(
        `${name}: ${(result.accuracy * 100).toFixed(1)}% (${result.correct}/${n}), AUC ${result.auc.toFixed(3)}`,
      );
      console.log(`${pad('')}${pad('pred 1')}${pad('pred 0')}`);
      console.log(`${pad('true 1')}${pad(result.truePositive)}${pad(result.falseNegative)}`);
      console.log(`${pad('true 0')}${pad(result.falsePositive)}${pad(result.trueNegative)}`);
    }
    const ties = report.lexicon.scores.filter((score) => score === 0.5).length;
    const positiveTies = report.lexicon.scores.filter((score, i) => score === 0.5 && report.sentences[i]?.label === 1);
    console.log(
      `Lexicon: ${ties} sentences score exactly 0.5 (no lexicon word), answered 0; ${positiveTies.length} of them are positive.`,
    );
    const { words, knownWords } = createPayloadEncoder((await loadDefaultModel()).vocabulary, 'csv').encode(
      report.sentences.map((s) => s.text),
    );
    console.log(
      `Vocabulary coverage (the VocabularyCoverage metric) of the held-out sentences, all words together: ${((100 * knownWords) / words).toFixed(1)}% (${knownWords} of ${words}).`,
    );
    console.log('');
    console.log(`Wrote ${picture}.`);
    const card = JSON.parse(readFileSync(DEFAULT_MODEL_CARD_FILE, 'utf8')) as {
      heldOut: { xgboost: HeldOutFigures; lexicon: HeldOutFigures };
    };
    if (
      !isDeepStrictEqual(card.heldOut.xgboost, report.xgboost.figures) ||
      !isDeepStrictEqual(card.heldOut.lexicon, report.lexicon.figures)
    ) {
      console.error('These figures differ from default-model/card.json: run npm run model:train.');
      process.exitCode = 1;
    } else {
      console.log('Same figures as default-model/card.json.');
    }
  }
}
