/**
 * Generated adversarial reviews for the differential tests: Unicode whitespace and case mappings,
 * `<br` variants, punctuation runs, prototype names, emoji, arbitrary code points. The ASCII variant
 * draws from the same pools' ASCII members: the encoder counts those reviews as bytes, a path the
 * general arbitrary, almost always non-ASCII, rarely reaches.
 */
import fc from 'fast-check';
import { GOLDEN_WORDS, PYTHON_WHITESPACE_CODE_POINTS } from '../../scripts/generate-golden-fixtures.ts';

const PYTHON_WHITESPACE = PYTHON_WHITESPACE_CODE_POINTS.map((c) => String.fromCodePoint(c));
// JavaScript's \s has U+FEFF, Python's split() does not; the others are invisible non-spaces.
const NOT_PYTHON_WHITESPACE = ['\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u180e', '\u00ad', '\0'];
const CASE_SPECIALS = [
  'İ',
  'I',
  'ı',
  'i\u0307',
  'Σ',
  'σ',
  'ς',
  '\u212a',
  '\u212b',
  '\u2126',
  'ẞ',
  'ß',
  'ﬁ',
  'ﬀ',
  'ŉ',
  'ǅ',
  'Ǆ',
  'ǈ',
  'ΐ',
  'Ϊ́',
  '\u0345',
  '\u0301',
  '\u0307',
  "'",
  '.',
  ':',
  'Ⅻ',
  'Ⓐ',
  'Ꭰ',
  'Ᏸ',
  'ꭰ',
  'ᏸ',
  'Ა',
  'Ⴀ',
  'ა',
  '𐐀',
  '𐐨',
  '𐲀',
  '𞤀',
  '🏻',
  'ὈΔΥΣΣΕΎΣ',
  'ΣΑΣ',
  'Α\u0301Σ',
  'ΑΣ\u0301',
  "ΑΣ'Β",
  'ΑΣ.Β',
];
const BR_PARTS = [
  '<br',
  '<BR',
  '<Br',
  '<bR',
  '/>',
  '<br />',
  '<br/>',
  '<br\t/>',
  '<br\x1c/>',
  '<br\ufeff/>',
  '<b.r',
  '<br./>',
  '<',
  '>',
  '/',
];
const PUNCTUATION = [
  '.',
  ';',
  ':',
  '!',
  "'",
  '?',
  ',',
  '"',
  '(',
  ')',
  '[',
  ']',
  '-',
  '/',
  '*',
  '&',
  '#',
  '_',
  '`',
  '...',
  '--',
  '?!',
];
const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  '__defineGetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__lookupGetter__',
];
const EMOJI = ['😀', '👍🏽', '🇫🇷', '👨‍👩‍👧', '❤️', '🎬'];

/** A word in random case: each code point independently upper- or lowercased by JavaScript's rules. */
const randomCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: [...word].length, maxLength: [...word].length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** Any Unicode scalar value (no lone surrogates, so the review survives the JSON round trip to Python). */
const scalar = fc
  .integer({ min: 0, max: 0x10ffff - 0x800 })
  .map((n) => String.fromCodePoint(n < 0xd800 ? n : n + 0x800));

const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GOLDEN_WORDS).chain(randomCase) },
  { weight: 5, arbitrary: fc.constantFrom(...PYTHON_WHITESPACE) },
  { weight: 2, arbitrary: fc.constantFrom(...NOT_PYTHON_WHITESPACE) },
  { weight: 4, arbitrary: fc.constantFrom(...CASE_SPECIALS) },
  { weight: 3, arbitrary: fc.constantFrom(...BR_PARTS) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES).chain(randomCase) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI) },
  { weight: 2, arbitrary: scalar },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** Any review: mostly structured tokens, some arbitrary strings. */
export const review = fc.oneof(
  { weight: 8, arbitrary: fc.array(token, { maxLength: 24 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

const isAscii = (text: string) => /^[\0-\x7f]*$/.test(text);
const asciiOnly = (pool: readonly string[]) => pool.filter(isAscii);

const asciiToken = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...asciiOnly(GOLDEN_WORDS)).chain(randomCase) },
  { weight: 5, arbitrary: fc.constantFrom(...asciiOnly(PYTHON_WHITESPACE)) },
  { weight: 1, arbitrary: fc.constantFrom(...asciiOnly(NOT_PYTHON_WHITESPACE)) },
  { weight: 2, arbitrary: fc.constantFrom(...asciiOnly(CASE_SPECIALS)) },
  { weight: 4, arbitrary: fc.constantFrom(...asciiOnly(BR_PARTS)) },
  { weight: 3, arbitrary: fc.constantFrom(...PUNCTUATION) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES).chain(randomCase) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 4 }) },
);

/** An ASCII review: what the encoder counts in WebAssembly. */
export const asciiReview = fc.oneof(
  { weight: 8, arbitrary: fc.array(asciiToken, { maxLength: 24 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
);
