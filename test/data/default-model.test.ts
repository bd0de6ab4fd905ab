/**
 * The default XGBoost model against the data it was trained on (`npm run test:data`): the committed
 * vocabulary, predictions fixture, card figures and picture must be what the sentence polarity data and
 * the recorded rules give. The data is the file `SENTENCE_POLARITY_FILE` names (never copied into the
 * project; README, "The default model's data"); xgboost and scikit-learn run in `/usr/bin/python3`.
 * What needs no data (the model file against its card, the evaluator against xgboost, the messages
 * without the data) is in test/local/default-model.test.ts, which `npm test` runs.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type HeldOutFigures,
  type HeldOutReport,
  heldOutReport,
  reportChartSvg,
  SCORE_CHART_FILE,
  scoreSentences,
} from '../../default-model/accuracy.ts';
import { DEFAULT_MODEL_CARD_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { modelScorer, pythonXgboostScorer, TRAIN_SCRIPT, xgboostPython } from '../../default-model/scorers.ts';
import { loadSentencePolarity, sentencesOf, splitSentences } from '../../default-model/sentence-polarity.ts';
import { loadDefaultModel } from '../../local/model/default-model.ts';
import { pythonSplit, reviewToWords } from '../../src/encoder/python-text.ts';

interface Card {
  vocabulary: {
    distinctWords: number;
    cutoffCount: number;
    wordsAboveCutoff: number;
    wordsAtCutoff: number;
    wordsAtCutoffKept: number;
  };
  data: { sha256: string; sentences: number; positive: number };
  split: { train: number; validation: number; test: number; testLinesSha256: string };
  heldOut: { sentences: number; xgboost: HeldOutFigures; lexicon: HeldOutFigures };
}

interface PredictionsFixture {
  data: { sha256: string };
  predictions: { line: number; score: number }[];
}

const readJson = <T>(file: URL): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const card = readJson<Card>(DEFAULT_MODEL_CARD_FILE);
const fixture = readJson<PredictionsFixture>(new URL('../fixtures/default-model/predictions.json', import.meta.url));
const data = loadSentencePolarity();
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

// The held-out measurement spawns xgboost once (a few seconds); the tests below share it.
let report: Promise<HeldOutReport> | undefined;
const measured = (): Promise<HeldOutReport> => {
  report ??= heldOutReport(data);
  return report;
};
const defaultModel = await loadDefaultModel();

describe('the data and the split the default model was trained on', () => {
  it('is the file the card and the fixture name', () => {
    // Act
    const positive = data.sentences.filter((s) => s.label === 1).length;

    // Assess: a different file (or an edited one) makes every figure below meaningless.
    expect(data.sha256).toBe(card.data.sha256);
    expect(fixture.data.sha256).toBe(card.data.sha256);
    expect(data.sentences.length).toBe(card.data.sentences);
    expect(positive).toBe(card.data.positive);
  });

  it('holds out the same sentences in TypeScript as train.py did, a quarter of each label', () => {
    // Act
    const parts = splitSentences(data.sentences);
    const testLines = data.sentences.filter((_, i) => parts[i] === 'test').map((s) => s.line);
    const count = (part: string, label: 0 | 1) =>
      data.sentences.filter((s, i) => parts[i] === part && s.label === label).length;

    // Assess
    expect(testLines).toEqual(fixture.predictions.map((p) => p.line));
    expect(sha256(testLines.join(','))).toBe(card.split.testLinesSha256);
    expect(parts.filter((p) => p === 'train').length).toBe(card.split.train);
    expect(parts.filter((p) => p === 'validation').length).toBe(card.split.validation);
    expect(count('test', 0)).toBe(Math.round(0.25 * (count('test', 0) + count('validation', 0) + count('train', 0))));
    expect(count('test', 1)).toBe(Math.round(0.25 * (count('test', 1) + count('validation', 1) + count('train', 1))));
  });
});

describe('the default vocabulary (default-model/vocabulary.json)', () => {
  it("is what scikit-learn's CountVectorizer(max_features=5000) picks on the train part, recomputed", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'default-vocabulary-'));
    try {
      const out = join(dir, 'vocabulary.json');

      // Act
      const result = spawnSync(xgboostPython(), [fileURLToPath(TRAIN_SCRIPT), 'vocabulary', '--out', out], {
        encoding: 'utf8',
      });

      // Assess
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(DEFAULT_VOCABULARY_FILE, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds the most frequent words of the train part as the TypeScript tokeniser counts them', () => {
    // Prepare
    const counts = new Map<string, number>();
    for (const { text } of sentencesOf(data, 'train')) {
      for (const word of pythonSplit(reviewToWords(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const vocabulary = readJson<Record<string, number>>(DEFAULT_VOCABULARY_FILE);
    const words = Object.keys(vocabulary);
    const cutoff = card.vocabulary.cutoffCount;

    // Act
    const above = [...counts].filter(([, n]) => n > cutoff).map(([word]) => word);
    const atCutoff = [...counts].filter(([, n]) => n === cutoff).map(([word]) => word);

    // Assess: the same counts as scikit-learn's (the card's facts), every word above the cut-off kept,
    // the rest of the 5,000 from the words at it.
    expect(counts.size).toBe(card.vocabulary.distinctWords);
    expect(above.length).toBe(card.vocabulary.wordsAboveCutoff);
    expect(atCutoff.length).toBe(card.vocabulary.wordsAtCutoff);
    expect(above.filter((word) => !Object.hasOwn(vocabulary, word))).toEqual([]);
    expect(words.filter((word) => (counts.get(word) ?? 0) < cutoff)).toEqual([]);
    expect(words.filter((word) => counts.get(word) === cutoff).length).toBe(card.vocabulary.wordsAtCutoffKept);
  });
});

describe('the default model (default-model/model.ubj) on the held-out sentences', () => {
  it.each([
    ['the local endpoint', () => modelScorer(defaultModel.model)],
    ['xgboost itself (python3-xgboost 1.7.4)', () => pythonXgboostScorer()],
  ])('is scored by %s exactly as xgboost did at training (the fixture)', (_scorer, scorer) => {
    // Prepare
    const heldOut = sentencesOf(data, 'test');

    // Act
    const scores = scoreSentences(scorer(), defaultModel.vocabulary, heldOut);

    // Assess: float32 scores, bit for bit.
    expect(scores).toEqual(fixture.predictions.map((p) => p.score));
    expect(scores.every((score) => Math.fround(score) === score)).toBe(true);
  });

  it('is right as often as the card says, and the lexicon model as often as its figure', async () => {
    // Act
    const { xgboost, lexicon, sentences } = await measured();

    // Assess
    expect(sentences.length).toBe(card.heldOut.sentences);
    expect(xgboost.figures).toEqual(card.heldOut.xgboost);
    expect(lexicon.figures).toEqual(card.heldOut.lexicon);
    // The bar set for the default model: a tuned XGBoost over these counts reaches about 74%, the lexicon 64%.
    expect(xgboost.figures.accuracy).toBeGreaterThan(0.72);
    expect(xgboost.figures.accuracy).toBeGreaterThan(lexicon.figures.accuracy + 0.05);
  });

  it('is drawn in docs/default-model-scores.svg from these scores', async () => {
    // Act
    const svg = reportChartSvg(await measured());

    // Assess
    expect(readFileSync(SCORE_CHART_FILE, 'utf8')).toBe(svg);
  });
});
