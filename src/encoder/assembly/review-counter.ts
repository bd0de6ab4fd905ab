/**
 * The encoder's scanner, in AssemblyScript, compiled to WebAssembly by scripts/generate-wasm.ts (the
 * committed result is ../review-counter.wasm.generated.ts).
 *
 * It does in one pass what the reference preprocessing (scripts/original_preprocessing.py) does with
 * `lower()`, two regex substitutions, `split()` and a dict lookup per word: lowercases ASCII, drops
 * `. ; : ! ' ? , " ( ) [ ]`, treats CPython whitespace, `-`, `/` and a `<br\s*` `/><br\s*` `/>` pair as
 * separators, hashes each word on the way and looks it up in the vocabulary's open-addressing table, then
 * tallies the columns.
 * Lowercasing beyond ASCII is left to JavaScript (CPython's full mapping, with its final-sigma rule):
 * the scan stops at the first character that `lower()` would change, and runs again on the text
 * JavaScript lowered.
 *
 * JavaScript (../review-counter.ts) lays out the memory, fills every table and reads the results, so
 * the rules live in one place; this module allocates nothing. Why WebAssembly: the same loop in
 * JavaScript spent most of its time on string access and bounds checks.
 */

// What the scan does with each UTF-16 code unit: `actions` holds one signed byte per code unit. An
// ASCII word character maps to its lowercase code unit (>= 0); everything else to one of these.
const KEEP: i32 = -1; // a word character beyond ASCII that lower() leaves as it is
const SPACE: i32 = -2; // CPython whitespace: separates words, and may sit inside `<br  />`
// -3 is '-' and '/': they separate words, but may not sit inside `<br  />`.
const REMOVED: i32 = -4; // REPLACE_NO_SPACE's characters: dropped, they do not separate words
const TAG_START: i32 = -5; // '<': a word character unless a `<br` pair starts here
const LOWER: i32 = -6; // changed by lower() (or may be: a high surrogate): JavaScript lowercases first
const LESS_THAN: i32 = 0x3c;

/** `count`'s answer when the text needs JavaScript's lowercasing first. */
const NEEDS_LOWERING: i32 = -1;

// FNV-1a over UTF-16 code units.
const HASH_SEED: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x01000193;

// Where each region is (byte offsets into memory), set by `init` (and again when the text grows).
let actions: usize = 0; // 65,536 x i8
let filter: usize = 0; // 2048 x u32, zero until buildTable: see there
let slots: usize = 0; // (mask + 1) x [hash, column (-1: empty), key start, key length] i32
let mask: u32 = 0;
let keyUnits: usize = 0; // u16: every vocabulary word's code units, back to back
let minLength: i32 = 0; // shortest and longest vocabulary word: other lengths are not looked up
let maxLength: i32 = 0;
let scratch: usize = 0; // vocabulary size x u32: counts by column, all zero between reviews
let touched: usize = 0; // one bit per column: the columns this review counted, zero between reviews
let indices: usize = 0; // out: columns with a non-zero count, ascending (u32)
let counts: usize = 0; // out: their counts (u32)
let columns: usize = 0; // the columns of a review's vocabulary words, in text order (i32)
let word: usize = 0; // the word being scanned, lowercased, without removed characters (u16)
let text: usize = 0; // in: the review, as bytes (ASCII) or UTF-16 code units

let lastWords: i32 = 0;
let lastKnownWords: i32 = 0;

/** The first byte of memory that the module's own data does not use. */
export function heapBase(): usize {
  return __heap_base;
}

export function init(
  actionsAt: usize,
  filterAt: usize,
  slotsAt: usize,
  slotMask: u32,
  keyUnitsAt: usize,
  scratchAt: usize,
  touchedAt: usize,
  indicesAt: usize,
  countsAt: usize,
  columnsAt: usize,
  wordAt: usize,
  textAt: usize,
): void {
  actions = actionsAt;
  filter = filterAt;
  slots = slotsAt;
  mask = slotMask;
  keyUnits = keyUnitsAt;
  scratch = scratchAt;
  touched = touchedAt;
  indices = indicesAt;
  counts = countsAt;
  columns = columnsAt;
  word = wordAt;
  text = textAt;
}

/** Words in the last review counted (the reference's `len(words.split())`). */
export function words(): i32 {
  return lastWords;
}

/** How many of those words are in the vocabulary. */
export function knownWords(): i32 {
  return lastKnownWords;
}

/**
 * Builds the vocabulary's table: an open-addressing hash table (linear probing, at most half full) of
 * the `wordCount` words JavaScript laid out in column order (word w is column w's): their code
 * units back to back in `keyUnits`, their lengths at `lengthsAt` (i32 each). A slot keeps the word's full
 * hash, so most probes are settled by one integer compare, and the word's place in `keyUnits`. The
 * `filter` gets one bit per word, chosen by the hash's high half: most words outside the vocabulary
 * (about half of a review's) are turned away by one load from 8 KB that stays in cache, not a probe.
 * Hashing here rather than in JavaScript keeps this out of the cold start: JavaScript would run it
 * before its code is optimised.
 */
export function buildTable(wordCount: i32, lengthsAt: usize): void {
  for (let slot: usize = 0; slot <= <usize>mask; slot++) store<i32>(slots + (slot << 4), -1, 4);
  let shortest = i32.MAX_VALUE;
  let longest = 0;
  let keyStart: usize = 0;
  for (let w: usize = 0; w < <usize>wordCount; w++) {
    const length = load<i32>(lengthsAt + (w << 2));
    const key = keyUnits + (keyStart << 1);
    let hash = HASH_SEED;
    for (let i: usize = 0; i < <usize>length; i++) hash = (hash ^ <u32>load<u16>(key + (i << 1))) * FNV_PRIME;
    let slot = hash & mask;
    while (load<i32>(slots + ((<usize>slot) << 4), 4) !== -1) slot = (slot + 1) & mask;
    const at = slots + ((<usize>slot) << 4);
    store<u32>(at, hash);
    store<i32>(at, <i32>w, 4);
    store<i32>(at, <i32>keyStart, 8);
    store<i32>(at, length, 12);
    const high = hash >>> 16;
    const bitsAt = filter + ((<usize>(high >>> 5)) << 2);
    store<u32>(bitsAt, load<u32>(bitsAt) | ((<u32>1) << (high & 31)));
    if (length < shortest) shortest = length;
    if (length > longest) longest = length;
    keyStart += <usize>length;
  }
  minLength = shortest;
  maxLength = longest;
}

/** Counts the ASCII review held as bytes in `text[0, length)`; returns the number of distinct columns. */
export function countBytes(length: i32): i32 {
  return count<u8>(length, false);
}

/**
 * Counts the review held as UTF-16 code units in `text[0, length)`; returns the number of distinct
 * columns, or NEEDS_LOWERING (nothing counted) when `lowered` is false and the text has a character
 * beyond ASCII that lower() changes.
 */
export function countUnits(length: i32, lowered: bool): i32 {
  return count<u16>(length, lowered);
}

function unitAt<T>(index: usize): u32 {
  return <u32>load<T>(text + (index << alignof<T>()));
}

function actionOf(unit: u32): i32 {
  return <i32>load<i8>(actions + <usize>unit);
}

/**
 * Where a `<br\s*` `/><br\s*` `/>` pair starting at the '<' at `start` ends (the index after its last
 * '>'), or 0. Matched as the reference's second regex sees the text: lowercased, removed characters gone.
 */
function brPairEnd<T>(start: usize, end: usize): usize {
  let at = start + 1; // past '<'
  for (let tag = 0; tag < 2; tag++) {
    if (tag === 1) {
      while (at < end && actionOf(unitAt<T>(at)) === REMOVED) at++;
      if (at >= end || unitAt<T>(at) !== LESS_THAN) return 0;
      at++;
    }
    for (let letter = 0; letter < 2; letter++) {
      const expected: u32 = letter === 0 ? 0x62 : 0x72; // 'b', 'r'
      while (at < end && actionOf(unitAt<T>(at)) === REMOVED) at++;
      // ASCII actions are lowercase code units: 'B' and 'b' both give 'b'.
      if (at >= end || actionOf(unitAt<T>(at)) !== <i32>expected) return 0;
      at++;
    }
    for (;;) {
      while (at < end && actionOf(unitAt<T>(at)) === REMOVED) at++;
      if (at < end && actionOf(unitAt<T>(at)) === SPACE) at++;
      else break;
    }
    for (let letter = 0; letter < 2; letter++) {
      const expected: u32 = letter === 0 ? 0x2f : 0x3e; // '/', '>'
      while (at < end && actionOf(unitAt<T>(at)) === REMOVED) at++;
      if (at >= end || unitAt<T>(at) !== expected) return 0;
      at++;
    }
  }
  return at;
}

/** The column of the word in `word[0, length)` whose hash is `hash`, or -1. */
function lookup(length: i32, hash: u32): i32 {
  if (length < minLength || length > maxLength) return -1;
  const high = hash >>> 16;
  if ((load<u32>(filter + ((<usize>(high >>> 5)) << 2)) & ((<u32>1) << (high & 31))) === 0) return -1;
  let slot = hash & mask;
  let at = slots + ((<usize>slot) << 4);
  let column = load<i32>(at, 4);
  while (column !== -1) {
    if (load<u32>(at) === hash && load<i32>(at, 12) === length) {
      const key = keyUnits + ((<usize>load<i32>(at, 8)) << 1);
      let j: usize = 0;
      while (j < <usize>length && load<u16>(key + (j << 1)) === load<u16>(word + (j << 1))) j++;
      if (j === <usize>length) return column;
    }
    slot = (slot + 1) & mask;
    at = slots + ((<usize>slot) << 4);
    column = load<i32>(at, 4);
  }
  return -1;
}

/**
 * Looks up the word just scanned (`word[0, size)`, hashed as `hash`); when it is in the vocabulary,
 * appends its column to `columns[known]`. Returns the new number of known words.
 */
function recordWord(size: usize, hash: u32, known: i32): i32 {
  const column = lookup(<i32>size, hash);
  if (column < 0) return known;
  store<i32>(columns + ((<usize>known) << 2), column);
  return known + 1;
}

function count<T>(length: i32, lowered: bool): i32 {
  let wordCount = 0;
  let known = 0;
  let size: usize = 0; // length of the word being scanned
  let hash = HASH_SEED;
  const end = <usize>length;
  let at: usize = 0;
  while (at < end) {
    let unit = unitAt<T>(at);
    let action = actionOf(unit);
    // A run of ASCII word characters, the common case, in a loop of its own: the branch that is hard
    // to predict (where a word ends) is taken once a word, not twice.
    while (action >= 0) {
      store<u16>(word + (size << 1), <u16>action);
      size++;
      hash = (hash ^ <u32>action) * FNV_PRIME;
      if (++at === end) break;
      unit = unitAt<T>(at);
      action = actionOf(unit);
    }
    if (action >= 0) break; // the text ended inside a word
    at++;
    if (action === REMOVED) continue;
    if (action === LOWER) {
      if (!lowered) return NEEDS_LOWERING;
      action = KEEP;
    }
    if (action === TAG_START) {
      const pairEnd = brPairEnd<T>(at - 1, end);
      if (pairEnd === 0) {
        unit = LESS_THAN; // a '<' that starts no pair is part of a word
        action = KEEP;
      } else {
        at = pairEnd; // the pair is a separator
      }
    }
    if (action === KEEP) {
      store<u16>(word + (size << 1), <u16>unit);
      size++;
      hash = (hash ^ unit) * FNV_PRIME;
      continue;
    }
    // SPACE, BREAK or a `<br` pair: the word so far ends.
    if (size > 0) {
      wordCount++;
      known = recordWord(size, hash, known);
      size = 0;
      hash = HASH_SEED;
    }
  }
  if (size > 0) {
    wordCount++;
    known = recordWord(size, hash, known);
  }
  lastWords = wordCount;
  lastKnownWords = known;
  return tally(known);
}

/**
 * Tallies `columns[0, known)` into `indices` and `counts` (ascending columns, no sort: a bitset is
 * read back in order), leaving `scratch` and `touched` zero for the next review. Returns the number
 * of distinct columns.
 */
function tally(known: i32): i32 {
  let distinct = 0;
  for (let k = 0; k < known; k++) {
    const column = <usize>load<u32>(columns + ((<usize>k) << 2));
    const countAt = scratch + (column << 2);
    const count = load<u32>(countAt);
    if (count === 0) {
      const bitsAt = touched + ((column >>> 5) << 2);
      store<u32>(bitsAt, load<u32>(bitsAt) | ((<u32>1) << (<u32>(column & 31))));
      distinct++;
    }
    store<u32>(countAt, count + 1);
  }
  let k: usize = 0;
  for (let block: usize = 0; k < <usize>distinct; block++) {
    let bits = load<u32>(touched + (block << 2));
    if (bits === 0) continue;
    store<u32>(touched + (block << 2), 0);
    while (bits !== 0) {
      const column = (block << 5) | <usize>ctz(bits);
      const countAt = scratch + (column << 2);
      store<u32>(indices + (k << 2), <u32>column);
      store<u32>(counts + (k << 2), load<u32>(countAt));
      store<u32>(countAt, 0);
      k++;
      bits &= bits - 1;
    }
  }
  return distinct;
}
