/**
 * The training-time vocabulary: `word -> column index`, as scikit-learn's `CountVectorizer.vocabulary_`.
 */

/** A vocabulary that cannot be used to encode reviews; `message` names the first bad entry. */
export class VocabularyError extends Error {
  override readonly name = 'VocabularyError';
}

/** What a vocabulary can be built from: a parsed JSON object, a `Map`, or `[word, index]` pairs. */
export type VocabularyInput =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<string, unknown>
  | Iterable<readonly [unknown, unknown]>;

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * A validated `word -> index` map. Lookups go through a `Map`, so `constructor`, `__proto__` or
 * `toString` are ordinary words, as they were in the original's Python dict.
 *
 * Valid means: a non-empty set of words whose indices are distinct integers in `0..size-1`, so that
 * every column of the encoded row belongs to exactly one word (what `CountVectorizer` produces).
 */
export class Vocabulary {
  /** Number of words, which is also the width of an encoded CSV row. */
  readonly size: number;
  /** The words in the order given, and their indices. */
  readonly #words: readonly string[];
  readonly #columns: readonly number[];
  readonly #wordsByColumn: readonly string[];
  #indices: Map<string, number> | undefined;

  /** @throws {VocabularyError} naming the first entry that is not a string word with a free, in-range integer index. */
  constructor(input: VocabularyInput) {
    // Built at every cold start, before any of this code is optimised: indexed loops over two arrays,
    // rather than an [word, index] pair per entry and a Map, keep a 5,000-word vocabulary near 1 ms.
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

  /** The words in column order: `wordsByColumn[i]` is the word counted in column `i`. */
  get wordsByColumn(): readonly string[] {
    return this.#wordsByColumn;
  }

  /**
   * Parses and validates a JSON document `{"word": index, ...}`.
   * @throws {VocabularyError} when the text is not JSON, not an object, or not a valid vocabulary.
   */
  static fromJSON(text: string): Vocabulary {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new VocabularyError(`The vocabulary is not valid JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new VocabularyError('The vocabulary must be a JSON object of the form {"word": index, ...}.');
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
      for (let k = 0; k < this.#words.length; k++)
        this.#indices.set(this.#words[k] as string, this.#columns[k] as number);
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
