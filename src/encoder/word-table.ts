/**
 * Vocabulary lookups straight from the preprocessed text, without making a string per word.
 *
 * Splitting a 1,300-character review into ~250 word strings and hashing each for a `Map` lookup was
 * most of the encoder's time (about 100 ns a word). This table hashes the UTF-16 code units of a word
 * while the scanner walks the text, and compares candidates code unit by code unit: same answers as
 * `split()` + `dict` lookup, no allocation per word.
 */
import { PYTHON_WHITESPACE } from './python-unicode.generated.ts';
import type { Vocabulary } from './vocabulary.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** `IS_SPACE[c]` for every code unit up to the last CPython whitespace (U+3000); none above it. */
const IS_SPACE = new Uint8Array(0x3001);
for (const c of PYTHON_WHITESPACE) IS_SPACE[c] = 1;
const SPACE_LIMIT = IS_SPACE.length;

/** Receives each word found in the text: its vocabulary column, or -1 for an unknown word. */
export type WordVisitor = (column: number) => void;

/** An open-addressing hash table of the vocabulary's words, keyed by their UTF-16 code units. */
export class WordTable {
  readonly #mask: number;
  readonly #keys: string[];
  readonly #columns: Int32Array;

  constructor(vocabulary: Vocabulary) {
    let capacity = 16;
    while (capacity < vocabulary.size * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#keys = new Array<string>(capacity).fill('');
    this.#columns = new Int32Array(capacity).fill(-1);
    for (const [word, column] of vocabulary.entries()) {
      let hash = FNV_OFFSET;
      for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
      let slot = hash & this.#mask;
      while (this.#columns[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#keys[slot] = word;
      this.#columns[slot] = column;
    }
  }

  /**
   * Walks `text` as Python's `str.split()` would and reports each word's column (or -1).
   * @returns the number of words.
   */
  scan(text: string, visit: WordVisitor): number {
    const keys = this.#keys;
    const columns = this.#columns;
    const mask = this.#mask;
    const length = text.length;
    let words = 0;
    let i = 0;
    while (i < length) {
      let c = text.charCodeAt(i);
      if (c < SPACE_LIMIT && IS_SPACE[c] === 1) {
        i++;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      do {
        hash = Math.imul(hash ^ c, FNV_PRIME);
        i++;
        if (i === length) break;
        c = text.charCodeAt(i);
      } while (!(c < SPACE_LIMIT && IS_SPACE[c] === 1));
      words++;
      const size = i - start;
      let slot = hash & mask;
      let column = -1;
      for (;;) {
        const candidate = columns[slot] as number;
        if (candidate === -1) break;
        const key = keys[slot] as string;
        if (key.length === size && text.startsWith(key, start)) {
          column = candidate;
          break;
        }
        slot = (slot + 1) & mask;
      }
      visit(column);
    }
    return words;
  }
}
