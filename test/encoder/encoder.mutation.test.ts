/**
 * Encoder edges the golden fixtures cover only through the (slow) differential suite, which mutation
 * testing leaves out: the WebAssembly ASCII counter against the reference preprocessing on `<br />` pairs cut
 * short, the A-Z boundaries and long reviews; CPython's lowercasing around surrogate pairs and final
 * sigma (expected values from Python 3.11's `str.lower()`); CSV rows with wide counts and a grown buffer.
 */
import { describe, expect, it } from 'vitest';
import { BagOfWords, createPayloadEncoder, pythonLower, pythonSplit, Vocabulary } from '../../src/encoder/index.ts';
import { plainCounts, referenceCounts } from '../helpers/reference-counts.ts';

const WORDS = [
  'a',
  'b',
  'x',
  'y',
  'z',
  'good',
  'movie',
  'a<b',
  '<',
  'a<',
  'zebra',
  '@',
  '`',
  '{',
  'br',
  '<br',
  'a<br',
  'ab',
];
const vocabulary = new Vocabulary(WORDS.map((word, index) => [word, index] as const));

const BR_EDGES = [
  'a<br /><br />b',
  'a<br /><br />',
  '<br /><br />',
  'a<br /><br /',
  'a<br /><br',
  'a<br /><b',
  'a<br /><',
  'a<br />',
  'a<br',
  'a<b',
  'a<',
  '<',
  'a<<br /><br />b',
  'a<.b.r. ./.>.<.b.r./.>b',
  'a<br  /><br/>b',
  'a<br\t/>x<br />b',
  'a<BR /><Br />b',
  'a<br /> <br />b',
  'x<br /><br />y<br /><br />z',
  'a<bx',
  'a<br x',
  'a<br /x',
  'a<br /><bz',
  'a<br /><brz',
  'a<br /><br z',
  'a<br/><br/.',
  'a<br /><br /.>b',
  'a<br /><br /.',
  'a<br /.',
  'a<b.',
  'a<br .',
  'a<br /><.',
  'a<br /><b.',
  'a<br /><br .',
  'a<br\x1c/><br\x1f/>b',
];
const ASCII_EDGES = [
  'ZEBRA Zebra zebrA',
  '@ ` { [ ] AZ az',
  'A.B a-b a/b',
  'a\x1cb\x1db\x1eb\x1fb',
  'a\x7fb',
  '   ',
  '...',
  '',
  `${'good movie '.repeat(40)}A<B`,
];

describe('the WebAssembly counter on ASCII edges', () => {
  it.each([...BR_EDGES, ...ASCII_EDGES])('counts %j as the reference preprocessing does', (review) => {
    // Prepare
    const bagOfWords = new BagOfWords(vocabulary);
    const expected = referenceCounts(vocabulary, review);

    // Act
    const counted = bagOfWords.count(review);

    // Assess
    expect(plainCounts(counted)).toEqual(expected);
  });

  it('gives the same counts for a review whatever longer review came before it', () => {
    // Prepare
    const bagOfWords = new BagOfWords(vocabulary);
    const short = 'good movie b';
    const fresh = bagOfWords.count(short);

    // Act
    bagOfWords.count(`${'zebra a<b '.repeat(100)}x`);
    const after = bagOfWords.count(short);

    // Assess
    expect([...after.indices]).toEqual([...fresh.indices]);
    expect([...after.counts]).toEqual([...fresh.counts]);
    expect(after.words).toBe(3);
  });
});

describe('pythonLower', () => {
  // Pairs of (text, Python 3.11 text.lower()).
  it.each([
    ['A\u{10400}\u03a3', 'a\u{10428}\u03c2'],
    ['A\u{10400}\u03a3 b', 'a\u{10428}\u03c2 b'],
    ['\u{10400}\u0301\u03a3', '\u{10428}\u0301\u03c2'],
    ['a\u03a3\u{10428}', 'a\u03c3\u{10428}'],
    ['a\u03a3\u{1e900}x', 'a\u03c3\u{1e922}x'],
    ['\u03a3', '\u03c3'],
    ['x\u0301\u03a3', 'x\u0301\u03c2'],
    ['\u0130X\u212a', 'i\u0307xk'],
    ['\u1e9e\u00c9\u01c5AB', '\u00df\u00e9\u01c6ab'],
    ['\u03a3\u03a3\u03a3', '\u03c3\u03c3\u03c2'],
    ['A\u03a3\u{1f600}', 'a\u03c2\u{1f600}'],
    ['\ufb01\u0149', '\ufb01\u0149'],
    ['HELLO', 'hello'],
  ])('lowercases %j as CPython does', (text, expected) => {
    // Act
    const lowered = pythonLower(text);

    // Assess
    expect(lowered).toBe(expected);
  });

  it('splits on CPython whitespace only, into no empty words', () => {
    // Act
    const words = pythonSplit('  a\u3000b\ufeffc\u0085d  ');
    const none = pythonSplit(' \t\n');

    // Assess
    expect(words).toEqual(['a', 'b\ufeffc', 'd']);
    expect(none).toEqual([]);
  });
});

describe('csv rows with wide counts', () => {
  it('writes counts of 10, 100 and single digits in any order, each in its column', () => {
    // Prepare
    const five = Vocabulary.fromJSON('{"p": 0, "q": 1, "r": 2, "s": 3, "t": 4}');
    const csv = createPayloadEncoder(five, 'csv');
    const review = ['p', 'q '.repeat(10), 'r r', 's '.repeat(100), 't t t'].join(' ');

    // Act
    const row = csv.encodeRow(review);

    // Assess
    expect(row).toBe('1,10,2,100,3');
  });

  it('grows its row buffer for a row much wider than the template, and shrinks back after', () => {
    // Prepare
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const wide = new Vocabulary(words.map((word, index) => [word, index] as const));
    const csv = createPayloadEncoder(wide, 'csv');
    const review = words.map((word) => `${word} `.repeat(1_000)).join(' ');

    // Act
    const big = csv.encodeRow(review);
    const small = csv.encodeRow('w0 w29');

    // Assess
    expect(big).toBe(Array.from({ length: 30 }, () => '1000').join(','));
    expect(small).toBe(['1', ...Array.from({ length: 28 }, () => '0'), '1'].join(','));
  });
});
