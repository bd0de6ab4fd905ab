/**
 * Vocabulary lookups straight from the review text, without making a string per word.
 *
 * Splitting a 1,300-character review into ~250 word strings and hashing each for a `Map` lookup was
 * most of the encoder's time (about 100 ns a word). This table is looked up with a word's code units,
 * hashed while a scanner walks the text: the same answers as `split()` + `dict` lookup, with no
 * allocation per word. It is laid out in typed arrays that the WebAssembly counter
 * (./review-counter.ts) copies into its memory and probes.
 */
import type { Vocabulary } from './vocabulary.ts';

// FNV-1a over UTF-16 code units, as the WebAssembly scanner hashes each word it reads.
const HASH_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Int32s per slot of {@link WordTable.slots}: hash, column (-1 when empty), key start, key length. */
export const SLOT_WIDTH = 4;

/** An open-addressing hash table (linear probing) of the vocabulary's words, keyed by their code units. */
export class WordTable {
  /** Slot count minus one (a power of two minus one). */
  readonly mask: number;
  /**
   * The slots, {@link SLOT_WIDTH} int32s each: the key's full hash (most probes are settled by one
   * integer compare), its column or -1, where its code units start in {@link keyUnits}, its length.
   * One slot's fields share a cache line.
   */
  readonly slots: Int32Array;
  /** Every key's UTF-16 code units, back to back. */
  readonly keyUnits: Uint16Array;
  /**
   * A 65,536-bit filter on the hash's high half: most words outside the vocabulary (about half of a
   * review's words) are turned away by one load from 8 KB that stays in cache, not a probe.
   */
  readonly filter = new Int32Array(2048);
  /** Shortest and longest key, in code units: other lengths are turned away without hashing. */
  readonly minLength: number;
  readonly maxLength: number;

  constructor(vocabulary: Vocabulary) {
    // Built at every cold start (and vocabulary refresh) before the code is optimised: one pass over
    // the entries, hashing inline, keeps it to about a millisecond for 5,000 words.
    const words: string[] = [];
    const columns: number[] = [];
    let totalLength = 0;
    let minLength = Number.POSITIVE_INFINITY;
    let maxLength = 0;
    for (const [word, column] of vocabulary.entries()) {
      words.push(word);
      columns.push(column);
      totalLength += word.length;
      if (word.length < minLength) minLength = word.length;
      if (word.length > maxLength) maxLength = word.length;
    }
    let capacity = 16;
    while (capacity < words.length * 2) capacity *= 2;
    const mask = capacity - 1;
    const slots = new Int32Array(capacity * SLOT_WIDTH);
    for (let slot = 0; slot < capacity; slot++) slots[slot * SLOT_WIDTH + 1] = -1;
    const keyUnits = new Uint16Array(totalLength);
    const filter = this.filter;
    let keyStart = 0;
    for (let w = 0; w < words.length; w++) {
      const word = words[w] as string;
      let hash = HASH_SEED;
      for (let i = 0; i < word.length; i++) {
        const unit = word.charCodeAt(i);
        keyUnits[keyStart + i] = unit;
        hash = Math.imul(hash ^ unit, FNV_PRIME);
      }
      let slot = hash & mask;
      while (slots[slot * SLOT_WIDTH + 1] !== -1) slot = (slot + 1) & mask;
      const at = slot * SLOT_WIDTH;
      slots[at] = hash;
      slots[at + 1] = columns[w] as number;
      slots[at + 2] = keyStart;
      slots[at + 3] = word.length;
      keyStart += word.length;
      const high = hash >>> 16;
      filter[high >>> 5] = (filter[high >>> 5] as number) | (1 << (high & 31));
    }
    this.mask = mask;
    this.slots = slots;
    this.keyUnits = keyUnits;
    // An empty vocabulary matches nothing: no length is in [Infinity, 0].
    this.minLength = minLength;
    this.maxLength = maxLength;
  }
}
