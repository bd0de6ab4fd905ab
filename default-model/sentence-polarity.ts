/**
 * The labelled movie-review sentences the default XGBoost model is trained on, and the split rule that
 * every consumer (training, `npm run model:accuracy`, the tests) recomputes from the shared file.
 *
 * The data is `../shared/data/sentence-polarity/train.jsonl` beside the project's clone (8,530 sentences
 * of Pang & Lee's sentence polarity dataset v1.0, `{"text", "label"}` a line). It is read at run time and
 * never copied into the project: only the model, the vocabulary and the code that reproduces them are.
 *
 * The split rule (the same in `training/train.py`, checked by `test/local/default-model.test.ts`):
 * within each label, sentences are ordered by `sha256(SPLIT_SALT + text)` (hex, then line number); the
 * first `round(25%)` of each label are the held-out **test** part, the next `round(15%)` the
 * **validation** part, the rest the **train** part. It is stratified exactly, depends on no random
 * generator, and puts a sentence in the same part whatever the order of the file's lines.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One labelled sentence of the file; `line` is its 1-based line number in `train.jsonl`. */
export interface PolaritySentence {
  readonly line: number;
  readonly text: string;
  /** 1 positive, 0 negative. */
  readonly label: 0 | 1;
}

/** The sentences of the file and the file's sha256 (hex), which the model card records. */
export interface PolarityData {
  readonly file: string;
  readonly sha256: string;
  readonly sentences: readonly PolaritySentence[];
}

/** The three parts of the split. */
export type SplitPart = 'train' | 'validation' | 'test';

/** Prefix of every hashed text; changing it (`/v2`) draws a different split. */
export const SPLIT_SALT = 'sentence-polarity-split/v1\n';
/** Share of each label held out for the final accuracy, in percent. */
export const TEST_PERCENT = 25;
/** Share of each label used to choose hyperparameters and stop boosting early, in percent. */
export const VALIDATION_PERCENT = 15;

/**
 * Where the shared data lives: `SENTENCE_POLARITY_FILE` if set, else `../shared/data/sentence-polarity/train.jsonl`
 * beside the project's directory (as on the development machines and in CI).
 */
export function sentencePolarityFile(): string {
  return (
    process.env.SENTENCE_POLARITY_FILE ??
    fileURLToPath(new URL('../../shared/data/sentence-polarity/train.jsonl', import.meta.url))
  );
}

/**
 * Reads the JSON-lines file.
 * @throws {Error} naming the file (and what to do) when it is missing, or the line that is not `{"text", "label"}`.
 */
export function loadSentencePolarity(file: string = sentencePolarityFile()): PolarityData {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(
      `Cannot read the sentence polarity data ${file}: ${(error as Error).message}. ` +
        'It lives outside the project (../shared/data/sentence-polarity/train.jsonl); set SENTENCE_POLARITY_FILE to its path.',
    );
  }
  const sentences = parseLabelledLines(bytes.toString('utf8'), file);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), sentences };
}

/** `round(count * percent / 100)`, halves up, in integers. */
const share = (count: number, percent: number): number => Math.floor((count * percent + 50) / 100);

/** The part of each sentence (same order as `sentences`), by the rule in this module's comment. */
export function splitSentences(sentences: readonly PolaritySentence[]): SplitPart[] {
  const parts: SplitPart[] = new Array(sentences.length);
  for (const label of [0, 1] as const) {
    const keyed = sentences
      .map((sentence, position) => ({ position, sentence }))
      .filter(({ sentence }) => sentence.label === label)
      .map(({ position, sentence }) => ({
        position,
        line: sentence.line,
        key: createHash('sha256').update(`${SPLIT_SALT}${sentence.text}`, 'utf8').digest('hex'),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.line - b.line));
    const test = share(keyed.length, TEST_PERCENT);
    const validation = share(keyed.length, VALIDATION_PERCENT);
    keyed.forEach(({ position }, rank) => {
      parts[position] = rank < test ? 'test' : rank < test + validation ? 'validation' : 'train';
    });
  }
  return parts;
}

/** The sentences of one part, in file order. */
export function sentencesOf(data: PolarityData, part: SplitPart): PolaritySentence[] {
  const parts = splitSentences(data.sentences);
  return data.sentences.filter((_, i) => parts[i] === part);
}

/**
 * The `{"text", "label"}` lines of a JSON-lines file, each with its line number; blank lines are skipped.
 * @param file names the file in messages.
 * @throws {Error} naming the file and the line that is not `{"text": string, "label": 0 | 1}`.
 */
export function parseLabelledLines(content: string, file: string | URL): PolaritySentence[] {
  const sentences: PolaritySentence[] = [];
  content.split('\n').forEach((raw, n) => {
    if (raw.trim() === '') return;
    const { text, label } = JSON.parse(raw) as { text: unknown; label: unknown };
    if (typeof text !== 'string' || (label !== 0 && label !== 1)) {
      throw new Error(`${String(file)} line ${n + 1}: expected {"text": string, "label": 0 | 1}.`);
    }
    sentences.push({ line: n + 1, text, label });
  });
  return sentences;
}
