/**
 * The training-time vocabulary: `word -> column index`, as scikit-learn's `CountVectorizer.vocabulary_`.
 *
 * Two JSON forms: the object `{"word": index, ...}` (`vocabulary_` itself, as `vocabulary import`
 * writes it), and the array of words in column order, `["word0", "word1", ...]` (what `npm run build`
 * bundles: it parses and validates in about a third of the time, at every cold start).
 */

/**
 * A vocabulary that cannot be used to encode reviews; `message` names the first bad entry.
 *
 * @example
 * ```ts
 * import { Vocabulary, VocabularyError } from 'sentiment-lambda';
 * try {
 *   Vocabulary.fromJSON('{"good": 0, "bad": 0}');
 * } catch (error) {
 *   if (error instanceof VocabularyError) console.error(error.message); // names the entry whose index is taken
 * }
 * ```
 */
export class VocabularyError extends Error {
  override readonly name = 'VocabularyError';
}

/**
 * What a vocabulary can be built from: a parsed JSON object, a `Map`, or `[word, index]` pairs.
 *
 * @example
 * ```ts
 * import { Vocabulary, type VocabularyInput } from 'sentiment-lambda';
 * const input: VocabularyInput = new Map([
 *   ['bad', 0],
 *   ['good', 1],
 * ]);
 * const vocabulary = new Vocabulary(input);
 * ```
 */
export type VocabularyInput =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<string, unknown>
  | Iterable<readonly [unknown, unknown]>;

// Lets `fromWords` reach the constructor with a word list, which `VocabularyInput` does not take.
const WORDS_IN_COLUMN_ORDER = Symbol('words in column order');

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * A validated `word -> index` map. Lookups go through a `Map`, so `constructor`, `__proto__` or
 * `toString` are ordinary words, as they are in a Python dict.
 *
 * Valid means: a non-empty set of words whose indices are distinct integers in `0..size-1`, so that
 * every column of the encoded row belongs to exactly one word (what `CountVectorizer` produces).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { Vocabulary } from 'sentiment-lambda';
 * // {"word": index, ...} (scikit-learn's CountVectorizer.vocabulary_), or the words in column order
 * const vocabulary = Vocabulary.fromJSON(readFileSync('vocabulary.json', 'utf8'));
 * console.log(vocabulary.size, vocabulary.indexOf('good')); // the width of a row; a column, or undefined
 * ```
 */
export class Vocabulary {
  /** Number of words, which is also the width of an encoded CSV row. */
  readonly size: number;
  /** The words in the order given, and their indices. */
  readonly #words: readonly string[];
  /** The indices given with the words, or `undefined` when word k is column k. */
  readonly #columns: readonly number[] | undefined;
  readonly #wordsByColumn: readonly string[];
  #indices: Map<string, number> | undefined;

  /** @throws {VocabularyError} naming the first entry that is not a string word with a free, in-range integer index. */
  constructor(input: VocabularyInput);
  /** For {@link Vocabulary.fromWords} only: its token is not exported. */
  constructor(input: typeof WORDS_IN_COLUMN_ORDER, wordList: readonly unknown[]);
  constructor(input: VocabularyInput | typeof WORDS_IN_COLUMN_ORDER, wordList?: readonly unknown[]) {
    // Built at every cold start, before any of this code is optimised: indexed loops over arrays,
    // rather than an [word, index] pair per entry and a Map, and the uniqueness check left to the Set
    // constructor (native code) rather than a loop of has/add calls.
    if (input === WORDS_IN_COLUMN_ORDER) {
      // A copy: the caller's array may change afterwards; an object's keys are copied too.
      const words = (wordList as readonly unknown[]).slice();
      const size = words.length;
      if (size === 0) throw new VocabularyError('The vocabulary is empty: it needs at least one word.');
      for (let column = 0; column < size; column++) {
        const word = words[column];
        if (typeof word !== 'string') {
          throw new VocabularyError(`Vocabulary entry ${column} (${describe(word)}): a word must be a string.`);
        }
      }
      if (new Set(words).size !== size) {
        const seen = new Set<unknown>();
        const column = words.findIndex((word) => seen.size === seen.add(word).size);
        throw new VocabularyError(
          `Vocabulary entry ${column} (${describe(words[column])}): the word appears more than once.`,
        );
      }
      this.size = size;
      this.#words = words as string[];
      this.#columns = undefined; // word k is column k
      this.#wordsByColumn = words as string[];
      return;
    }
    const { words, values, keysAreUnique } = toColumns(input);
    const size = words.length;
    if (size === 0) throw new VocabularyError('The vocabulary is empty: it needs at least one "word": index entry.');
    // An object's keys are distinct; pairs may repeat a word.
    const seen = keysAreUnique ? undefined : new Set<unknown>();
    const owners: string[] = new Array(size);
    for (let k = 0; k < size; k++) {
      const word = words[k];
      const index = values[k];
      if (typeof word !== 'string') {
        throw new VocabularyError(`Vocabulary entry ${describe(word)}: a word must be a string.`);
      }
      if (seen !== undefined) {
        if (seen.has(word)) {
          throw new VocabularyError(`Vocabulary entry ${describe(word)}: the word appears more than once.`);
        }
        seen.add(word);
      }
      if (typeof index !== 'number' || !Number.isInteger(index)) {
        throw new VocabularyError(`Vocabulary entry ${describe(word)}: index ${describe(index)} is not an integer.`);
      }
      if (index < 0 || index >= size) {
        throw new VocabularyError(
          `Vocabulary entry ${describe(word)}: index ${index} is outside 0..${size - 1} (the vocabulary has ${size} words).`,
        );
      }
      const owner = owners[index];
      if (owner !== undefined) {
        throw new VocabularyError(
          `Vocabulary entry ${describe(word)}: index ${index} is already used by ${describe(owner)}.`,
        );
      }
      owners[index] = word;
    }
    this.size = size;
    this.#words = words as string[];
    this.#columns = values as number[];
    this.#wordsByColumn = owners;
  }

  /**
   * A vocabulary from its words in column order: `words[i]` is counted in column `i`.
   * @throws {VocabularyError} naming the first entry that is not a string, or repeats a word.
   */
  static fromWords(words: readonly unknown[]): Vocabulary {
    return new Vocabulary(WORDS_IN_COLUMN_ORDER, words);
  }

  /** The words in column order: `wordsByColumn[i]` is the word counted in column `i`. */
  get wordsByColumn(): readonly string[] {
    return this.#wordsByColumn;
  }

  /**
   * Parses and validates a JSON document: `{"word": index, ...}`, or `["word0", "word1", ...]` (the
   * words in column order).
   * @throws {VocabularyError} when the text is not JSON, neither form, or not a valid vocabulary.
   */
  static fromJSON(text: string): Vocabulary {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new VocabularyError(`The vocabulary is not valid JSON: ${(error as Error).message}`);
    }
    if (Array.isArray(parsed)) return Vocabulary.fromWords(parsed);
    if (parsed === null || typeof parsed !== 'object') {
      throw new VocabularyError(
        'The vocabulary must be a JSON object {"word": index, ...} or an array of words in column order.',
      );
    }
    return new Vocabulary(parsed as Record<string, unknown>);
  }

  /** The column of `word`, or `undefined` when the word is not in the vocabulary. */
  indexOf(word: string): number | undefined {
    return this.#map().get(word);
  }

  /** `[word, index]` pairs in the order they were given. */
  entries(): IterableIterator<[string, number]> {
    return this.#map().entries();
  }

  /** The `{"word": index}` object form; `__proto__` stays an own, ordinary key. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#map());
  }

  /** `word -> index`, built on first use: the encoder reads {@link wordsByColumn} instead. */
  #map(): Map<string, number> {
    if (this.#indices === undefined) {
      this.#indices = new Map();
      const columns = this.#columns;
      for (let k = 0; k < this.#words.length; k++) this.#indices.set(this.#words[k] as string, columns?.[k] ?? k);
    }
    return this.#indices;
  }
}

/** The input's words and their (unchecked) indices, as two arrays in the order given. */
function toColumns(input: VocabularyInput): { words: unknown[]; values: unknown[]; keysAreUnique: boolean } {
  if (input instanceof Map || Symbol.iterator in input) {
    const words: unknown[] = [];
    const values: unknown[] = [];
    for (const [word, value] of input as Iterable<readonly [unknown, unknown]>) {
      words.push(word);
      values.push(value);
    }
    return { words, values, keysAreUnique: input instanceof Map };
  }
  // Own enumerable keys only (JSON.parse makes "__proto__" an own, ordinary key), and their values
  // in the same order: two native calls, no loop of ours.
  const record = input as Readonly<Record<string, unknown>>;
  const words: unknown[] = Object.keys(record);
  const values: unknown[] = Object.values(record);
  return { words, values, keysAreUnique: true };
}
