/**
 * Walks a review and reports the vocabulary column of each word the original would have counted.
 *
 * Two paths, one answer (the golden and differential tests hold both to `seed_encoder.py`):
 * - any text: the reference preprocessing (`reviewToWords`, CPython-exact Unicode) then a scan over
 *   CPython whitespace;
 * - ASCII text, almost every review: one fused pass that lowercases, drops `. ; : ! ' ? , " ( ) [ ]`,
 *   treats `-`, `/`, whitespace and a `<br\s*` `/>` pair as separators, and hashes words on the way,
 *   instead of three regex passes and a scan over their result.
 */
import { reviewToWords } from './python-text.ts';
import { PYTHON_WHITESPACE } from './python-unicode.generated.ts';
import { HASH_SEED, hashStep, type WordTable } from './word-table.ts';

/** Receives the column of each word (or -1 for a word outside the vocabulary). */
export type ColumnVisitor = (column: number) => void;

/** `IS_SPACE[c]` for every code unit up to the last CPython whitespace (U+3000); none above it. */
const IS_SPACE = new Uint8Array(0x3001);
for (const c of PYTHON_WHITESPACE) IS_SPACE[c] = 1;
const SPACE_LIMIT = IS_SPACE.length;

// What the fused ASCII pass does with each character: a word character maps to itself lowercased
// (ASCII lowercases the same in Python); the others to a negative action code.
const SEPARATOR = -1; // CPython whitespace, '-' and '/'
const REMOVED = -2; // REPLACE_NO_SPACE's characters
const TAG_START = -3; // '<': a word character, unless a `<br` pair starts here
const ASCII_ACTION = new Int16Array(128);
for (let c = 0; c < 128; c++) ASCII_ACTION[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
for (let c = 0; c < 128; c++) if (IS_SPACE[c] === 1) ASCII_ACTION[c] = SEPARATOR;
for (const ch of '-/') ASCII_ACTION[ch.charCodeAt(0)] = SEPARATOR;
for (const ch of '.;:!\'?,"()[]') ASCII_ACTION[ch.charCodeAt(0)] = REMOVED;
const LESS_THAN = 0x3c;
ASCII_ACTION[LESS_THAN] = TAG_START;

/**
 * Where a `<br\s*` `/><br\s*` `/>` pair starting at `i` ends (index after its last `>`), or -1. Matched
 * on the text as the original's second regex saw it: lowercased, with the removed characters gone.
 */
function brPairEnd(text: string, i: number): number {
  const length = text.length;
  let k = i + 1; // past '<'
  for (let tag = 0; tag < 2; tag++) {
    if (tag === 1) {
      while (k < length && ASCII_ACTION[text.charCodeAt(k)] === REMOVED) k++;
      if (k >= length || text.charCodeAt(k) !== LESS_THAN) return -1;
      k++;
    }
    for (const expected of [0x62, 0x72]) {
      // 'b', 'r' (either case)
      while (k < length && ASCII_ACTION[text.charCodeAt(k)] === REMOVED) k++;
      if (k >= length || (text.charCodeAt(k) | 0x20) !== expected) return -1;
      k++;
    }
    for (;;) {
      while (k < length && ASCII_ACTION[text.charCodeAt(k)] === REMOVED) k++;
      if (k < length && IS_SPACE[text.charCodeAt(k)] === 1) k++;
      else break;
    }
    for (const expected of [0x2f, 0x3e]) {
      // '/', '>'
      while (k < length && ASCII_ACTION[text.charCodeAt(k)] === REMOVED) k++;
      if (k >= length || text.charCodeAt(k) !== expected) return -1;
      k++;
    }
  }
  return k;
}

/** Scans reviews against one vocabulary's table; keeps a reusable word buffer. */
export class ReviewScanner {
  readonly #table: WordTable;
  #units = new Uint16Array(256);
  #ends = new Uint32Array(256);
  #hashes = new Int32Array(256);

  constructor(table: WordTable) {
    this.#table = table;
  }

  /** Reports each word's column to `visit`; returns the number of words. */
  scan(review: string, visit: ColumnVisitor): number {
    // The fused pass gives up (-1) at the first non-ASCII character, before reporting any word.
    const words = this.#scanAscii(review, visit);
    return words >= 0 ? words : this.#scanPreprocessed(reviewToWords(review), visit);
  }

  /** Words of already-preprocessed text: maximal runs of non-whitespace (Python's `split()`). */
  #scanPreprocessed(text: string, visit: ColumnVisitor): number {
    const table = this.#table;
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
      let hash = HASH_SEED;
      do {
        hash = hashStep(hash, c);
        i++;
        if (i === length) break;
        c = text.charCodeAt(i);
      } while (!(c < SPACE_LIMIT && IS_SPACE[c] === 1));
      words++;
      visit(table.lookupSlice(text, start, i - start, hash));
    }
    return words;
  }

  /**
   * The fused pass for ASCII reviews (see the module comment). Returns -1, having reported nothing,
   * when the review is not ASCII: words are reported only once the whole review has been seen.
   */
  #scanAscii(review: string, visit: ColumnVisitor): number {
    const length = review.length;
    if (this.#units.length < length) {
      this.#units = new Uint16Array(length);
      this.#ends = new Uint32Array(length);
      this.#hashes = new Int32Array(length);
    }
    const units = this.#units;
    const ends = this.#ends;
    const hashes = this.#hashes;
    // Words are packed back to back in `units`; `ends[w]` is where word w stops, `hashes[w]` its hash.
    let words = 0;
    let size = 0;
    let wordStart = 0;
    let hash = HASH_SEED;
    let i = 0;
    while (i < length) {
      const c = review.charCodeAt(i);
      if (c > 0x7f) return -1;
      const action = ASCII_ACTION[c] as number;
      if (action >= 0) {
        units[size++] = action;
        hash = hashStep(hash, action);
        i++;
        continue;
      }
      if (action === REMOVED) {
        i++;
        continue;
      }
      // Here `action` is SEPARATOR or TAG_START ('<').
      const end = action === SEPARATOR ? -1 : brPairEnd(review, i);
      if (action === SEPARATOR || end > 0) {
        if (size > wordStart) {
          ends[words] = size;
          hashes[words++] = hash;
          wordStart = size;
          hash = HASH_SEED;
        }
        i = end > 0 ? end : i + 1;
        continue;
      }
      units[size++] = LESS_THAN; // a '<' that starts no `<br` pair is part of a word
      hash = hashStep(hash, LESS_THAN);
      i++;
    }
    if (size > wordStart) {
      ends[words] = size;
      hashes[words++] = hash;
    }
    const table = this.#table;
    for (let w = 0, start = 0; w < words; w++) {
      const end = ends[w] as number;
      visit(table.lookupUnits(units, start, end - start, hashes[w] as number));
      start = end;
    }
    return words;
  }
}
