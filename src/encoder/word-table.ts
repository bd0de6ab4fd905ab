/**
 * Vocabulary lookups straight from the review text, without making a string per word.
 *
 * Splitting a 1,300-character review into ~250 word strings and hashing each for a `Map` lookup was
 * most of the encoder's time (about 100 ns a word). This table hashes a word's UTF-16 code units while
 * a scanner walks the text, and compares candidates code unit by code unit: the same answers as
 * `split()` + `dict` lookup, with no allocation per word.
 */
import type { Vocabulary } from './vocabulary.ts';

/** FNV-1a over UTF-16 code units: the scanners fold each code unit in with {@link hashStep}. */
export const HASH_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step. */
export const hashStep = (hash: number, codeUnit: number): number => Math.imul(hash ^ codeUnit, FNV_PRIME);

/** An open-addressing hash table of the vocabulary's words, keyed by their UTF-16 code units. */
export class WordTable {
  readonly #mask: number;
  readonly #keys: string[];
  readonly #columns: Int32Array;
  // Each slot's full hash: most probes are settled by one integer compare, without touching the key string.
  readonly #hashes: Int32Array;
  // A 65,536-bit filter on the hash's high half: most words outside the vocabulary (about half of a
  // review's words) are turned away by one load from 8 KB that stays in cache, not a probe of the table.
  readonly #filter = new Int32Array(2048);
  #minLength = Number.POSITIVE_INFINITY;
  #maxLength = 0;

  constructor(vocabulary: Vocabulary) {
    let capacity = 16;
    while (capacity < vocabulary.size * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#keys = new Array<string>(capacity).fill('');
    this.#columns = new Int32Array(capacity).fill(-1);
    this.#hashes = new Int32Array(capacity);
    for (const [word, column] of vocabulary.entries()) {
      let hash = HASH_SEED;
      for (let i = 0; i < word.length; i++) hash = hashStep(hash, word.charCodeAt(i));
      let slot = hash & this.#mask;
      while (this.#columns[slot] !== -1) slot = (slot + 1) & this.#mask;
      this.#keys[slot] = word;
      this.#columns[slot] = column;
      this.#hashes[slot] = hash;
      const high = hash >>> 16;
      this.#filter[high >>> 5] = (this.#filter[high >>> 5] as number) | (1 << (high & 31));
      this.#minLength = Math.min(this.#minLength, word.length);
      this.#maxLength = Math.max(this.#maxLength, word.length);
    }
  }

  /** The column of the word `text[start, start + length)` whose hash is `hash`, or -1. */
  lookupSlice(text: string, start: number, length: number, hash: number): number {
    const keys = this.#keys;
    const columns = this.#columns;
    const hashes = this.#hashes;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const column = columns[slot] as number;
      if (column === -1) return -1;
      if (hashes[slot] !== hash) continue;
      const key = keys[slot] as string;
      if (key.length === length && text.startsWith(key, start)) return column;
    }
  }

  /** The column of the word held in `units[start, start + length)` whose hash is `hash`, or -1. */
  lookupUnits(units: Uint16Array, start: number, length: number, hash: number): number {
    if (length < this.#minLength || length > this.#maxLength) return -1;
    const high = hash >>> 16;
    if (((this.#filter[high >>> 5] as number) & (1 << (high & 31))) === 0) return -1;
    const keys = this.#keys;
    const columns = this.#columns;
    const hashes = this.#hashes;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const column = columns[slot] as number;
      if (column === -1) return -1;
      if (hashes[slot] !== hash) continue;
      const key = keys[slot] as string;
      if (key.length !== length) continue;
      let j = 0;
      while (j < length && key.charCodeAt(j) === units[start + j]) j++;
      if (j === length) return column;
    }
  }
}
