/**
 * The committed default XGBoost model and what `npm run model:train` recorded about it, checked without
 * its training data: the model file, the card and the predictions fixture agree; the local endpoint's
 * evaluator scores as xgboost does; a vocabulary of another width is refused; and every command that
 * needs the data says, without it, what the data is and how to point at it. The checks against the data
 * itself are in test/data/default-model.test.ts (`npm run test:data`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLabelledSentences, scoreSentences } from '../../default-model/accuracy.ts';
import { DEFAULT_MODEL_CARD_FILE, DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { modelScorer, pythonXgboostScorer, TRAIN_SCRIPT, xgboostPython } from '../../default-model/scorers.ts';
import {
  loadSentencePolarity,
  SENTENCE_POLARITY_DATASET,
  SentencePolarityDataError,
} from '../../default-model/sentence-polarity.ts';
import { loadDefaultModel, loadLocalModel } from '../../local/model/default-model.ts';

interface Card {
  model: { bytes: number; sha256: string; trees: number; features: number };
  vocabulary: { words: number };
  data: { dataset: string; source: string; variable: string; sha256: string; sentences: number };
  split: { test: number; testLinesSha256: string };
  heldOut: { sentences: number };
}

interface PredictionsFixture {
  data: { dataset: string; variable: string; sha256: string };
  model: { sha256: string };
  predictions: { line: number; score: number }[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readJson = <T>(file: URL): T => JSON.parse(readFileSync(file, 'utf8')) as T;
const card = readJson<Card>(DEFAULT_MODEL_CARD_FILE);
const fixture = readJson<PredictionsFixture>(new URL('../fixtures/default-model/predictions.json', import.meta.url));
const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
/** Python's order of str keys (code points), which UTF-8 byte order is. */
const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const defaultModel = await loadDefaultModel();

const temporaryDirectories: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The environment of a machine without the data: everything but `SENTENCE_POLARITY_FILE`. */
function environmentWithoutData(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[SENTENCE_POLARITY_DATASET.variable];
  return env;
}

describe('the default model (default-model/model.ubj)', () => {
  it('is at most 3 MB, and is the file the card and the predictions fixture describe', () => {
    // Act
    const bytes = readFileSync(DEFAULT_MODEL_FILE);

    // Assess
    expect(statSync(DEFAULT_MODEL_FILE).size).toBeLessThanOrEqual(3_000_000);
    expect(bytes.length).toBe(card.model.bytes);
    expect(sha256(bytes)).toBe(card.model.sha256);
    expect(fixture.model.sha256).toBe(card.model.sha256);
    expect(card.model.features).toBe(defaultModel.vocabulary.size);
    expect(defaultModel.model.trees).toBe(card.model.trees);
  });

  it("is scored by the local endpoint exactly as xgboost itself scores it (the project's hand-written sentences)", () => {
    // Prepare
    const sentences = loadLabelledSentences();

    // Act
    const ours = scoreSentences(modelScorer(defaultModel.model), defaultModel.vocabulary, sentences);
    const xgboost = scoreSentences(pythonXgboostScorer(), defaultModel.vocabulary, sentences);

    // Assess: float32 scores, bit for bit.
    expect(sentences.length).toBeGreaterThan(100);
    expect(ours).toEqual(xgboost);
  });

  it('is refused with a vocabulary of another width, naming both sizes', async () => {
    // Act
    const load = () =>
      loadLocalModel({ vocabularyFile: fileURLToPath(new URL('../fixtures/golden/vocabulary.json', import.meta.url)) });

    // Assess
    await expect(load()).rejects.toThrow(
      /the model takes 5000 features, but the vocabulary .*vocabulary\.json has \d+ words/,
    );
  });
});

describe('the default vocabulary (default-model/vocabulary.json)', () => {
  it("has the card's 5,000 words, columns 0 to 4,999 in sorted word order", () => {
    // Prepare
    const vocabulary = readJson<Record<string, number>>(DEFAULT_VOCABULARY_FILE);
    const words = Object.keys(vocabulary);

    // Act
    const byIndex = [...words].sort((a, b) => (vocabulary[a] as number) - (vocabulary[b] as number));

    // Assess
    expect(words.length).toBe(card.vocabulary.words);
    expect(byIndex).toEqual([...words].sort(byCodePoint));
    expect(byIndex.map((word) => vocabulary[word])).toEqual(byIndex.map((_, i) => i));
  });
});

describe('the card and the predictions fixture', () => {
  it('name the dataset, the variable that points at it, and the same training file', () => {
    // Assess: the description every "no data" message gives.
    expect(card.data).toMatchObject(SENTENCE_POLARITY_DATASET);
    expect(fixture.data).toEqual({
      dataset: SENTENCE_POLARITY_DATASET.dataset,
      variable: SENTENCE_POLARITY_DATASET.variable,
      sha256: card.data.sha256,
    });
    expect(card.data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("match what README.md and docs/default-model.md tell a user to look for: the file's sha256", () => {
    // Prepare
    const documents = ['README.md', 'docs/default-model.md'].map((file) => readFileSync(join(ROOT, file), 'utf8'));

    // Assess: a retrained model's card with a new data file must come with new instructions.
    for (const text of documents) {
      expect(text).toContain(card.data.sha256);
      expect(text).toContain(SENTENCE_POLARITY_DATASET.variable);
    }
  });

  it('hold out the same lines: one float32 score in [0, 1] a held-out line, in line order', () => {
    // Act
    const lines = fixture.predictions.map((p) => p.line);
    const scores = fixture.predictions.map((p) => p.score);

    // Assess
    expect(lines.length).toBe(card.split.test);
    expect(lines.length).toBe(card.heldOut.sentences);
    expect(sha256(lines.join(','))).toBe(card.split.testLinesSha256);
    expect(
      lines.every(
        (line, i) => line >= 1 && line <= card.data.sentences && (i === 0 || line > (lines[i - 1] as number)),
      ),
    ).toBe(true);
    expect(scores.every((score) => score >= 0 && score <= 1 && Math.fround(score) === score)).toBe(true);
  });
});

describe('without the sentence polarity data', () => {
  /** The facts a person needs to find the data, in every message. */
  const expectDataMessage = (message: string): void => {
    expect(message).toContain('sentence polarity dataset v1.0');
    expect(message).toContain('Bo Pang and Lillian Lee');
    expect(message).toContain('ACL 2005');
    expect(message).toContain('https://www.cs.cornell.edu/people/pabo/movie-review-data/');
    expect(message).toContain('rt-polaritydata.tar.gz');
    expect(message).toContain(card.data.sha256);
    expect(message).toContain('{"text": "...", "label": 1 | 0}');
    expect(message).toContain('SENTENCE_POLARITY_FILE=');
  };

  it.each([
    ['npm run model:accuracy', process.execPath, [join(ROOT, 'default-model/accuracy.ts')]],
    ['npm run model:train', xgboostPython(), [fileURLToPath(TRAIN_SCRIPT), 'train']],
    ['the vocabulary recount', xgboostPython(), [fileURLToPath(TRAIN_SCRIPT), 'vocabulary', '--out', '/dev/null']],
    ['npm run test:data', 'npm', ['run', '--silent', 'test:data']],
  ])('%s says what the data is and how to point at it, and nothing else', (_command, program, args) => {
    // Act
    const run = spawnSync(program, args, { cwd: ROOT, env: environmentWithoutData(), encoding: 'utf8' });

    // Assess: that message alone, no stack trace, and a failure.
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Cannot read the sentence polarity data: SENTENCE_POLARITY_FILE is not set\.\n\n/);
    expectDataMessage(run.stderr);
    expect(run.stderr).not.toMatch(/Traceback|^\s+at |Error:/m);
  });

  it('names a file that is not there, and a line that is not {"text", "label"}', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'sentence-polarity-'));
    temporaryDirectories.push(dir);
    const missing = join(dir, 'missing.jsonl');
    const malformed = join(dir, 'malformed.jsonl');
    writeFileSync(malformed, '{"text": "fine", "label": 1}\n\n{"text": "no label"}\n');
    const notJson = join(dir, 'not-json.jsonl');
    writeFileSync(notJson, '{"text": "fine", "label": 0}\nnot json\n');

    // Act
    const failure = (file: string): unknown => {
      try {
        loadSentencePolarity(file);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const errors = [failure(missing), failure(malformed), failure(notJson)];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(SentencePolarityDataError);
      expectDataMessage((error as Error).message);
    }
    expect((errors[0] as Error).message).toContain(
      `SENTENCE_POLARITY_FILE=${missing}: ENOENT: no such file or directory.`,
    );
    expect((errors[1] as Error).message).toContain(`${malformed} line 3: expected {"text": string, "label": 0 | 1}`);
    expect((errors[2] as Error).message).toContain(`${notJson} line 2 is not JSON`);
  });
});
