/**
 * Counts a review's vocabulary words in WebAssembly: the encoder's hot loop.
 *
 * The module (./assembly/review-counter.ts, compiled into ./review-counter.wasm.generated.ts) builds
 * a hash table of the vocabulary's words in its memory, gets a table of what to do with each UTF-16
 * code unit (built here, from CPython's whitespace and lowercase tables), then counts a review in one
 * pass, looking each word up without making a string of it.
 * ASCII reviews (about 96% of an IMDb-like corpus) reach it as bytes, through `TextEncoder`; the others
 * as UTF-16 code units. When a character beyond ASCII needs CPython's lowercasing (an `É`, a `Σ`), the
 * scan stops, {@link lowerBeyondAscii} lowercases the review and the scan runs again on the result.
 *
 * Each counter owns its memory. It grows when a review is longer than any before it, and never shrinks.
 */
import { CAPITAL_SIGMA, lowerBeyondAscii } from './python-text.ts';
import { LOWER_EXPANSIONS, LOWER_RUNS, PYTHON_WHITESPACE } from './python-unicode.generated.ts';
import { REVIEW_COUNTER_WASM } from './review-counter.wasm.generated.ts';
import type { Vocabulary } from './vocabulary.ts';

/**
 * The part of the WebAssembly JavaScript API used here. Node has it, but @types/node does not declare
 * it; a global `declare namespace WebAssembly` would leak into the program of every user of the package,
 * and TypeScript's `dom` lib would bring the whole DOM along. So the global is typed here, privately.
 */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => WebAssemblyModule;
  Instance: new (module: WebAssemblyModule, imports: Record<string, never>) => { readonly exports: object };
}
type WebAssemblyModule = { readonly __brand: 'WebAssembly.Module' };
interface WebAssemblyMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

interface CounterExports {
  readonly memory: WebAssemblyMemory;
  heapBase(): number;
  init(...offsets: number[]): void;
  buildTable(wordCount: number, lengthsAt: number): void;
  countBytes(length: number): number;
  countUnits(length: number, lowered: boolean): number;
  words(): number;
  knownWords(): number;
}

/** `countUnits`' answer when the review needs lowercasing first. */
const NEEDS_LOWERING = -1;

// What the scan does with each code unit (the constants of ./assembly/review-counter.ts).
const KEEP = -1;
const SPACE = -2;
const BREAK = -3;
const REMOVED = -4;
const TAG_START = -5;
const LOWER = -6;

let codeUnitActions: Int8Array | undefined;

/**
 * One signed byte per UTF-16 code unit: an ASCII word character maps to its lowercase (ASCII
 * lowercases the same in Python); CPython whitespace, `-` and `/` (which the preprocessing turns into
 * spaces), the characters it removes and `<` to their action; a character beyond ASCII that `lower()`
 * changes to LOWER, and so does a high surrogate that starts one; any other character is kept as it is.
 */
function actionsTable(): Int8Array {
  if (codeUnitActions !== undefined) return codeUnitActions;
  const actions = new Int8Array(0x10000).fill(KEEP);
  for (let c = 0; c < 0x80; c++) actions[c] = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
  const changed = (c: number) => {
    if (c >= 0x80) actions[c <= 0xffff ? c : 0xd800 + ((c - 0x10000) >> 10)] = LOWER;
  };
  for (let r = 0; r < LOWER_RUNS.length; r += 4) {
    const [start, end, stride] = [LOWER_RUNS[r], LOWER_RUNS[r + 1], LOWER_RUNS[r + 2]] as [number, number, number];
    for (let c = start; c <= end; c += stride) changed(c);
  }
  for (const c of LOWER_EXPANSIONS.keys()) changed(c);
  changed(CAPITAL_SIGMA);
  for (const c of PYTHON_WHITESPACE) actions[c] = SPACE;
  for (const ch of '-/') actions[ch.charCodeAt(0)] = BREAK;
  for (const ch of '.;:!\'?,"()[]') actions[ch.charCodeAt(0)] = REMOVED;
  actions['<'.charCodeAt(0)] = TAG_START;
  codeUnitActions = actions;
  return actions;
}

let compiled: WebAssemblyModule | undefined;

/** Compiled once per process, when the first vocabulary's encoder is built: about 2 KB of code. */
function counterModule(): WebAssemblyModule {
  compiled ??= new WebAssembly.Module(Buffer.from(REVIEW_COUNTER_WASM, 'base64'));
  return compiled;
}

const PAGE_BYTES = 65_536;
const FILTER_BYTES = 8192;
// A slot: hash, column, key start, key length (int32 each).
const SLOT_BYTES = 16;
const align = (offset: number) => (offset + 15) & ~15;

/** Counts reviews against one vocabulary. Results stay valid until the next count. */
export class ReviewCounter {
  readonly #exports: CounterExports;
  readonly #encoder = new TextEncoder();
  /** The init arguments up to the regions that depend on the longest review (columns, word, text). */
  readonly #fixedRegions: number[];
  readonly #vocabularySize: number;
  readonly #indicesAt: number;
  readonly #countsAt: number;
  /** Where the regions sized by {@link #capacity} start. */
  readonly #variableAt: number;
  /** Longest review, in code units, the memory holds now. */
  #capacity = 0;
  #bytes = new Uint8Array(0);
  #units = Buffer.alloc(0);
  #indices = new Uint32Array(0);
  #counts = new Uint32Array(0);

  constructor(vocabulary: Vocabulary) {
    const exports = new WebAssembly.Instance(counterModule(), {}).exports as unknown as CounterExports;
    this.#exports = exports;
    const size = vocabulary.size;
    this.#vocabularySize = size;
    // Word w is column w's: the table is built from the words in column order.
    const words = vocabulary.wordsByColumn;
    const lengths = new Int32Array(size);
    for (let w = 0; w < size; w++) lengths[w] = (words[w] as string).length;
    const keys = words.join('');
    let slotCount = 16;
    while (slotCount < size * 2) slotCount *= 2;

    let top = exports.heapBase();
    const region = (bytes: number): number => {
      const at = align(top);
      top = at + bytes;
      return at;
    };
    const actions = actionsTable();
    const actionsAt = region(actions.byteLength);
    const filterAt = region(FILTER_BYTES);
    const slotsAt = region(slotCount * SLOT_BYTES);
    const keyUnitsAt = region(keys.length * 2);
    const lengthsAt = region(size * 4);
    const scratchAt = region(size * 4);
    const touchedAt = region(Math.ceil(size / 32) * 4);
    this.#indicesAt = region(size * 4);
    this.#countsAt = region(size * 4);
    this.#variableAt = align(top);
    this.#fixedRegions = [
      actionsAt,
      filterAt,
      slotsAt,
      slotCount - 1,
      keyUnitsAt,
      scratchAt,
      touchedAt,
      this.#indicesAt,
      this.#countsAt,
    ];
    this.#reserve(4096);
    const buffer = exports.memory.buffer;
    new Int8Array(buffer, actionsAt, actions.length).set(actions);
    Buffer.from(buffer, keyUnitsAt, keys.length * 2).write(keys, 'utf16le');
    new Int32Array(buffer, lengthsAt, size).set(lengths);
    exports.buildTable(size, lengthsAt);
  }

  /**
   * Counts one review; returns the number of distinct columns. The columns and their counts are then
   * `indices[0, distinct)` and `counts[0, distinct)`.
   */
  count(review: string): number {
    const length = review.length;
    if (length > this.#capacity) this.#reserve(length);
    const exports = this.#exports;
    // UTF-8 of an ASCII string is its code units, one byte each. Any other character takes two or
    // more bytes (a lone surrogate too, as U+FFFD): the text then does not fit, or comes out longer.
    const { read, written } = this.#encoder.encodeInto(review, this.#bytes);
    if (read === length && written === length) return exports.countBytes(length);
    this.#units.write(review, 0, 'utf16le');
    const distinct = exports.countUnits(length, false);
    if (distinct !== NEEDS_LOWERING) return distinct;
    const lowered = lowerBeyondAscii(review);
    if (lowered.length > this.#capacity) this.#reserve(lowered.length);
    this.#units.write(lowered, 0, 'utf16le');
    return exports.countUnits(lowered.length, true);
  }

  /** Columns with a non-zero count in the last review, ascending: `[0, distinct)`. */
  get indices(): Uint32Array {
    return this.#indices;
  }

  /** `counts[k]` is the count of `indices[k]`. */
  get counts(): Uint32Array {
    return this.#counts;
  }

  /** Words in the last review counted: `len(words.split())` in the reference, scripts/original_preprocessing.py. */
  get words(): number {
    return this.#exports.words();
  }

  /** Of those, how many are in the vocabulary. */
  get knownWords(): number {
    return this.#exports.knownWords();
  }

  /** Makes room for reviews of up to `units` code units (at least doubling), then renews the views. */
  #reserve(units: number): void {
    const capacity = Math.max(units, this.#capacity * 2);
    // A review has at most one word per two code units; the word buffer and the text take two bytes a
    // code unit (an ASCII text takes one, in the same region).
    const columnsAt = this.#variableAt;
    const wordAt = align(columnsAt + ((capacity + 1) >> 1) * 4);
    const textAt = align(wordAt + capacity * 2);
    const end = textAt + capacity * 2;
    const memory = this.#exports.memory;
    const pages = Math.ceil(end / PAGE_BYTES) - memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) memory.grow(pages); // the old views are detached: all are made again below
    this.#exports.init(...this.#fixedRegions, columnsAt, wordAt, textAt);
    this.#capacity = capacity;
    const buffer = memory.buffer;
    this.#bytes = new Uint8Array(buffer, textAt, capacity);
    this.#units = Buffer.from(buffer, textAt, capacity * 2);
    this.#indices = new Uint32Array(buffer, this.#indicesAt, this.#vocabularySize);
    this.#counts = new Uint32Array(buffer, this.#countsAt, this.#vocabularySize);
  }
}
