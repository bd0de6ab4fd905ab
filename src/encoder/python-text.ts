/**
 * The text preprocessing of the reference, scripts/original_preprocessing.py, with CPython's exact
 * Unicode semantics. In Python:
 * ```python
 * words = REPLACE_NO_SPACE.sub("", review.lower())     # drop . ; : ! ' ? , " ( ) [ ]
 * words = REPLACE_WITH_SPACE.sub(" ", words)           # a pair of <br /> tags, - and / become a space
 * words.split()                                        # split on str.isspace() characters
 * ```
 * JavaScript's `toLowerCase()` and `\s` differ from CPython's `str.lower()`, `str.split()` and `re`'s
 * `\s` (on U+001C-U+001F, U+0085 and U+FEFF, among others), and the engine's Unicode version differs from
 * Python's. So every Unicode-dependent step here is driven by tables read off CPython itself
 * (`python-unicode.generated.ts`), and ASCII-only text — almost every review — takes a fast path that is
 * identical by construction.
 */
import {
  CASE_IGNORABLE_RANGES,
  CASED_RANGES,
  LOWER_EXPANSIONS,
  LOWER_RUNS,
  PYTHON_WHITESPACE,
} from './python-unicode.generated.ts';

/** Σ: its lowercase depends on its neighbours (the final-sigma rule). */
export const CAPITAL_SIGMA = 0x3a3;
const SMALL_SIGMA = 'σ';
const FINAL_SIGMA = 'ς';

/** A regex character-class body matching exactly CPython's whitespace (all of it is in the BMP). */
const WHITESPACE_CLASS = PYTHON_WHITESPACE.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('');

// Anything past U+007F; ASCII text lowercases the same in JavaScript and Python.
const NON_ASCII = /[^\0-\x7f]/;
const REPLACE_NO_SPACE = /[.;:!'?,"()[\]]/g;
const REPLACE_WITH_SPACE = new RegExp(`<br[${WHITESPACE_CLASS}]*/><br[${WHITESPACE_CLASS}]*/>|[-/]`, 'g');
const WORD = new RegExp(`[^${WHITESPACE_CLASS}]+`, 'g');
const BLANK = new RegExp(`^[${WHITESPACE_CLASS}]*$`);

let lowerMap: Map<number, number> | undefined;

/**
 * One-to-one lowercase mappings, as a flat lookup built from the runs on first use (the first
 * non-ASCII review): ASCII reviews, and cold starts, never pay for it.
 */
function lowerMapping(): ReadonlyMap<number, number> {
  if (lowerMap !== undefined) return lowerMap;
  lowerMap = new Map<number, number>();
  for (let r = 0; r < LOWER_RUNS.length; r += 4) {
    const [start, end, stride, delta] = LOWER_RUNS.slice(r, r + 4) as [number, number, number, number];
    for (let c = start; c <= end; c += stride) lowerMap.set(c, c + delta);
  }
  return lowerMap;
}

function inRanges(ranges: readonly number[], c: number): boolean {
  // Binary search over inclusive [start, end] pairs.
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < (ranges[2 * mid] as number)) hi = mid - 1;
    else if (c > (ranges[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

const isCaseIgnorable = (c: number): boolean => inRanges(CASE_IGNORABLE_RANGES, c);
// Only asked of characters already known not to be case-ignorable, as in CPython.
const isCased = (c: number): boolean => inRanges(CASED_RANGES, c);

/**
 * CPython's Final_Sigma test (`handle_capital_sigma` in unicodeobject.c): Σ at index `i` lowercases
 * to ς when preceded by a cased letter and not followed by one, case-ignorable characters skipped.
 */
function isFinalSigma(text: string, i: number): boolean {
  let before = -1;
  for (let j = i; j > 0; ) {
    // Step back one code point, over a whole surrogate pair when there is one.
    j -= 1;
    const low = text.charCodeAt(j);
    if (low >= 0xdc00 && low <= 0xdfff && j > 0) {
      const high = text.charCodeAt(j - 1);
      if (high >= 0xd800 && high <= 0xdbff) j -= 1;
    }
    const c = text.codePointAt(j) as number;
    if (!isCaseIgnorable(c)) {
      before = c;
      break;
    }
  }
  if (before < 0 || !isCased(before)) return false;
  for (let k = i + 1; k < text.length; ) {
    const c = text.codePointAt(k) as number;
    if (!isCaseIgnorable(c)) return !isCased(c);
    k += c > 0xffff ? 2 : 1;
  }
  return true;
}

/** The lowercase of one code point `str.lower()` changes, found at `offset` in `text`. */
function lowerOne(text: string, match: string, offset: number): string {
  const c = match.codePointAt(0) as number;
  if (c === CAPITAL_SIGMA) return isFinalSigma(text, offset) ? FINAL_SIGMA : SMALL_SIGMA;
  const single = lowerMapping().get(c);
  return single === undefined ? (LOWER_EXPANSIONS.get(c) as string) : String.fromCodePoint(single);
}

/**
 * Python's `str.lower()`: full lowercase mapping (İ gives i + U+0307), the final-sigma rule, and the
 * Unicode version of the CPython the tables were generated from.
 */
export function pythonLower(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  // The regex engine skips the characters that need no mapping; only those that do reach JavaScript.
  return text.replace(changedByLower(0), (match: string, offset: number) => lowerOne(text, match, offset));
}

/**
 * `str.lower()` of every character beyond ASCII, ASCII left as it is: for a scanner that lowercases
 * ASCII itself. The final-sigma rule still sees ASCII letters as cased, as it reads the text as given.
 */
export function lowerBeyondAscii(text: string): string {
  return text.replace(changedByLower(0x80), (match: string, offset: number) => lowerOne(text, match, offset));
}

const changedByLowerPatterns = new Map<number, RegExp>();

/**
 * Every code point from `from` on that `str.lower()` changes, as one regex character class. Built on
 * first use (the first review that needs it), not at module load: most cold starts never need it.
 */
function changedByLower(from: number): RegExp {
  const built = changedByLowerPatterns.get(from);
  if (built !== undefined) return built;
  const codePoints = changedByLowerCodePoints().filter((c) => c >= from);
  const hex = (c: number) => `\\u{${c.toString(16)}}`;
  let ranges = '';
  for (let k = 0; k < codePoints.length; ) {
    const start = codePoints[k] as number;
    let end = start;
    while (codePoints[k + 1] === end + 1) end = codePoints[++k] as number;
    ranges += start === end ? hex(start) : `${hex(start)}-${hex(end)}`;
    k++;
  }
  const pattern = new RegExp(`[${ranges}]`, 'gu');
  changedByLowerPatterns.set(from, pattern);
  return pattern;
}

/** Every code point `str.lower()` changes, ascending. */
function changedByLowerCodePoints(): number[] {
  return [...lowerMapping().keys(), ...LOWER_EXPANSIONS.keys(), CAPITAL_SIGMA].sort((x, y) => x - y);
}

/** The reference's `review_to_words`: lowercase, drop punctuation, turn line breaks, `-` and `/` into spaces. */
export function reviewToWords(review: string): string {
  return pythonLower(review).replace(REPLACE_NO_SPACE, '').replace(REPLACE_WITH_SPACE, ' ');
}

/** Python's `str.split()` with no argument: runs of CPython whitespace separate words; no empty words. */
export function pythonSplit(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Whether the text is empty or only CPython whitespace (`not text.strip()` in Python). */
export function isPythonBlank(text: string): boolean {
  return BLANK.test(text);
}
