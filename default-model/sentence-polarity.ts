/**
 * The labelled movie-review sentences the default XGBoost model is trained on, and the split rule that
 * every consumer (training, `npm run model:accuracy`, `npm run test:data`) recomputes from the file.
 *
 * The data is the training split of the sentence polarity dataset v1.0 of Bo Pang and Lillian Lee
 * (8,530 sentences, `{"text", "label"}` a line). It is not part of the project: the file named by
 * `SENTENCE_POLARITY_FILE` is read at run time, and only the model, the vocabulary and the code that
 * reproduces them are committed. Without it, the commands that need it print
 * {@link missingDataMessage} (what the data is, where it is published, how to point at it).
 *
 * The split rule (the same in `default-model/train.py`, checked by `test/data/default-model.test.ts`):
 * within each label, sentences are ordered by `sha256(SPLIT_SALT + text)` (hex, then line number); the
 * first `round(25%)` of each label are the held-out **test** part, the next `round(15%)` the
 * **validation** part, the rest the **train** part. It is stratified exactly, depends on no random
 * generator, and puts a sentence in the same part whatever the order of the file's lines.
 *
 * Run as a program (`npm run data:check [-- --json]`), it checks the data is there
 * before a command needs it: one line (or, with `--json`, {@link DataCheck}) on stdout, or the message on
 * stderr and exit code 1.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_CARD_FILE } from './files.ts';

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

/** The variable that names the data file. */
export const SENTENCE_POLARITY_VARIABLE = 'SENTENCE_POLARITY_FILE';

/** What the data is and where it comes from, as the model card and the messages name it. */
export const SENTENCE_POLARITY_DATASET = {
  dataset:
    'sentence polarity dataset v1.0 of Bo Pang and Lillian Lee ("Seeing stars: Exploiting class relationships ' +
    'for sentiment categorization with respect to rating scales", ACL 2005): the 80% training split, ' +
    'JSON lines {"text": string, "label": 1 | 0}',
  source: 'https://www.cs.cornell.edu/people/pabo/movie-review-data/ (rt-polaritydata.tar.gz)',
  variable: SENTENCE_POLARITY_VARIABLE,
} as const;

/** The data cannot be read: its message says what the data is and how to point at it. */
export class SentencePolarityDataError extends Error {
  override readonly name = 'SentencePolarityDataError';
}

/** The data file: `SENTENCE_POLARITY_FILE`, resolved against the working directory; `undefined` when unset. */
export function sentencePolarityFile(): string | undefined {
  const file = process.env[SENTENCE_POLARITY_VARIABLE];
  return file === undefined || file === '' ? undefined : resolve(file);
}

/** The training file's facts as the committed model card records them, if the card can be read. */
function trainedOn(): { sha256: string; sentences: number } | undefined {
  try {
    const card = JSON.parse(readFileSync(DEFAULT_MODEL_CARD_FILE, 'utf8')) as {
      data?: { sha256?: string; sentences?: number };
    };
    const { sha256, sentences } = card.data ?? {};
    return typeof sha256 === 'string' && typeof sentences === 'number' ? { sha256, sentences } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The message of every command that needs the data and cannot read it: `problem` (what went wrong), then
 * what the data is, where it is published, the file the committed model was trained on, and the variable.
 */
export function missingDataMessage(problem: string): string {
  const facts = trainedOn();
  const file =
    facts === undefined
      ? ['The file is an 80% split of it, one JSON object a line: {"text": "...", "label": 1 | 0}.']
      : [
          `The committed model was trained on an 80% split of it: ${facts.sentences.toLocaleString('en-US')} sentences,`,
          'one JSON object a line: {"text": "...", "label": 1 | 0}, in a file with sha256',
          `${facts.sha256}.`,
        ];
  return [
    `Cannot read the sentence polarity data: ${problem}.`,
    '',
    'The default model is trained and measured on the sentence polarity dataset v1.0 of Bo Pang and Lillian Lee',
    '("Seeing stars: Exploiting class relationships for sentiment categorization with respect to rating scales",',
    `ACL 2005), published at ${SENTENCE_POLARITY_DATASET.source}.`,
    ...file,
    `Set ${SENTENCE_POLARITY_VARIABLE} to that file's path, e.g.`,
    `  ${SENTENCE_POLARITY_VARIABLE}=/path/to/train.jsonl npm run test:data`,
  ].join('\n');
}

/**
 * Reads the JSON-lines file (default: {@link sentencePolarityFile}).
 * @throws {SentencePolarityDataError} when no file is named, it cannot be read, or a line is not
 *   `{"text", "label"}`; the message says what to do.
 */
export function loadSentencePolarity(file: string | undefined = sentencePolarityFile()): PolarityData {
  if (file === undefined)
    throw new SentencePolarityDataError(missingDataMessage(`${SENTENCE_POLARITY_VARIABLE} is not set`));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new SentencePolarityDataError(
      // Node's "ENOENT: no such file or directory, open '<file>'", without the repeated path.
      missingDataMessage(
        `${SENTENCE_POLARITY_VARIABLE}=${file}: ${(error as Error).message.replace(/, \w+ '.*'$/, '')}`,
      ),
    );
  }
  let sentences: PolaritySentence[];
  try {
    sentences = parseLabelledLines(bytes.toString('utf8'), file);
  } catch (error) {
    throw new SentencePolarityDataError(missingDataMessage((error as Error).message.replace(/\.$/, '')));
  }
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
    let row: { text?: unknown; label?: unknown } | null;
    try {
      row = JSON.parse(raw) as { text?: unknown; label?: unknown } | null;
    } catch {
      throw new Error(`${String(file)} line ${n + 1} is not JSON: expected {"text": string, "label": 0 | 1}.`);
    }
    const { text, label } = row ?? {};
    if (typeof text !== 'string' || (label !== 0 && label !== 1)) {
      throw new Error(`${String(file)} line ${n + 1}: expected {"text": string, "label": 0 | 1}.`);
    }
    sentences.push({ line: n + 1, text, label });
  });
  return sentences;
}

/** What `npm run data:check -- --json` prints: the dataset, and the file found. */
export interface DataCheck {
  readonly dataset: string;
  readonly source: string;
  readonly variable: string;
  readonly file: string;
  readonly sha256: string;
  readonly sentences: number;
  readonly positive: number;
}

/** Checks the data can be read; returns the exit code. */
function checkData(json: boolean): number {
  let data: PolarityData;
  try {
    data = loadSentencePolarity();
  } catch (error) {
    if (!(error instanceof SentencePolarityDataError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const positive = data.sentences.filter((s) => s.label === 1).length;
  if (json) {
    const check: DataCheck = {
      ...SENTENCE_POLARITY_DATASET,
      file: data.file,
      sha256: data.sha256,
      sentences: data.sentences.length,
      positive,
    };
    process.stdout.write(`${JSON.stringify(check)}\n`);
    return 0;
  }
  const facts = trainedOn();
  const same =
    facts === undefined || facts.sha256 === data.sha256
      ? 'the file the committed model was trained on'
      : `NOT the file the committed model was trained on (sha256 ${facts.sha256}): the data tests will fail, ` +
        'and npm run model:train trains a new model from it';
  process.stdout.write(
    `Sentence polarity data: ${data.file}, ${data.sentences.length} sentences (${positive} positive), ` +
      `sha256 ${data.sha256}: ${same}.\n`,
  );
  return 0;
}

/** `--json` or not; `undefined` (after printing the usage) for any other argument. */
function checkOptions(): { json: boolean } | undefined {
  try {
    return parseArgs({ options: { json: { type: 'boolean', default: false } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run data:check [-- --json]\n`);
    return undefined;
  }
}

if (import.meta.main) {
  const options = checkOptions();
  process.exitCode = options === undefined ? 2 : checkData(options.json);
}
