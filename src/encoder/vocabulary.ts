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
  readonly #indices: ReadonlyMap<string, number>;

  /** @throws {VocabularyError} naming the first entry that is not a string word with a free, in-range integer index. */
  constructor(input: VocabularyInput) {
    const entries = toEntries(input);
    const size = entries.length;
    if (size === 0) throw new VocabularyError('The vocabulary is empty: it needs at least one "word": index entry.');
    const indices = new Map<string, number>();
    const owners: string[] = new Array(size);
    for (const [word, index] of entries) {
      if (typeof word !== 'string') {
        throw new VocabularyError(`Vocabulary entry ${describe(word)}: a word must be a string.`);
      }
      if (indices.has(word)) {
        throw new VocabularyError(`Vocabulary entry ${describe(word)}: the word appears more than once.`);
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
      indices.set(word, index);
    }
    this.size = size;
    this.#indices = indices;
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
    return this.#indices.get(word);
  }

  /** `[word, index]` pairs in the order they were given. */
  entries(): IterableIterator<[string, number]> {
    return this.#indices.entries();
  }

  /** The `{"word": index}` object form; `__proto__` stays an own, ordinary key. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.#indices);
  }
}

function toEntries(input: VocabularyInput): Array<readonly [unknown, unknown]> {
  if (input instanceof Map) return [...input.entries()];
  if (Symbol.iterator in input) return [...(input as Iterable<readonly [unknown, unknown]>)];
  // Own enumerable keys only: JSON.parse makes "__proto__" an own key, never a prototype.
  return Object.entries(input);
}
