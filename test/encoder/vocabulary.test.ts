import { describe, expect, it } from 'vitest';
import { createPayloadEncoder, Vocabulary, VocabularyError } from '../../src/encoder/index.ts';

describe('Vocabulary validation', () => {
  it('rejects two words with the same index, naming both', () => {
    // Prepare
    const input = { good: 0, great: 0, bad: 1 };

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(VocabularyError);
    expect(build).toThrow(/"great".*index 0.*"good"/);
  });

  it('rejects an index outside 0..size-1, naming the word and the range', () => {
    // Prepare
    const input = { good: 0, bad: 2 };

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(VocabularyError);
    expect(build).toThrow(/"bad".*index 2.*0\.\.1/);
  });

  it('rejects a negative index (Python would have counted it from the end)', () => {
    // Prepare
    const input = { good: 0, bad: -1 };

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(/"bad".*index -1/);
  });

  it.each([
    ['a fraction', 0.5],
    ['a numeric string', '1'],
    ['null', null],
    ['NaN', Number.NaN],
  ])('rejects an index that is %s', (_label, index) => {
    // Prepare
    const input = { good: 0, bad: index };

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(VocabularyError);
    expect(build).toThrow(/"bad".*not an integer/);
  });

  it('rejects a word that is not a string, from a Map', () => {
    // Prepare
    const input = new Map<unknown, unknown>([
      ['good', 0],
      [42, 1],
    ]);

    // Act
    const build = () => new Vocabulary(input as Map<string, unknown>);

    // Assess
    expect(build).toThrow(VocabularyError);
    expect(build).toThrow(/42.*must be a string/);
  });

  it('rejects a word given twice in [word, index] pairs', () => {
    // Prepare
    const input: Array<[string, number]> = [
      ['good', 0],
      ['good', 1],
    ];

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(/"good".*more than once/);
  });

  it('rejects an empty vocabulary', () => {
    // Prepare
    const input = {};

    // Act
    const build = () => new Vocabulary(input);

    // Assess
    expect(build).toThrow(VocabularyError);
    expect(build).toThrow(/empty/);
  });

  it.each([
    ['a number', '5000'],
    ['null', 'null'],
    ['a string', '"good"'],
  ])('fromJSON rejects a document that is %s', (_label, text) => {
    // Prepare
    const document = text;

    // Act
    const parse = () => Vocabulary.fromJSON(document);

    // Assess
    expect(parse).toThrow(VocabularyError);
    expect(parse).toThrow(/must be a JSON object \{"word": index, ...\} or an array of words in column order/);
  });

  it('fromJSON reads an array as the words in column order, the same vocabulary as its object form', () => {
    // Prepare
    const words = ['bad', 'good', '__proto__', 'constructor', 'movie'];

    // Act
    const fromArray = Vocabulary.fromJSON(JSON.stringify(words));
    const fromObject = Vocabulary.fromJSON(JSON.stringify(Object.fromEntries(words.map((word, i) => [word, i]))));

    // Assess
    expect(fromArray.size).toBe(5);
    expect(fromArray.wordsByColumn).toEqual(words);
    expect([...fromArray.entries()]).toEqual([...fromObject.entries()]);
    expect(fromArray.toJSON()).toEqual(fromObject.toJSON());
    expect(createPayloadEncoder(fromArray).encode(['Good movie']).body).toBe('0,1,0,0,1');
  });

  it('fromWords keeps its own copy of the words', () => {
    // Prepare
    const words = ['good', 'bad'];
    const vocabulary = Vocabulary.fromWords(words);

    // Act
    words[0] = 'great';
    words.push('extra');

    // Assess
    expect(vocabulary.size).toBe(2);
    expect(vocabulary.wordsByColumn).toEqual(['good', 'bad']);
    expect(vocabulary.indexOf('great')).toBeUndefined();
  });

  it.each([
    ['[]', /empty/],
    ['["good", 1]', /Vocabulary entry 1 \(1\): a word must be a string/],
    ['["good", "bad", "good"]', /Vocabulary entry 2 \("good"\): the word appears more than once/],
    ['[["good", 0]]', /Vocabulary entry 0 \(good,0\): a word must be a string/],
  ])('fromJSON rejects the word list %s, naming the entry', (text, message) => {
    // Act
    const parse = () => Vocabulary.fromJSON(text);

    // Assess
    expect(parse).toThrow(VocabularyError);
    expect(parse).toThrow(message);
  });

  it('fromJSON rejects text that is not JSON, saying so', () => {
    // Prepare
    const text = "{'good': 0}"; // a Python dict literal, as the original pasted it

    // Act
    const parse = () => Vocabulary.fromJSON(text);

    // Assess
    expect(parse).toThrow(VocabularyError);
    expect(parse).toThrow(/not valid JSON/);
  });

  it('accepts a valid vocabulary and reports its size and indices', () => {
    // Prepare
    const text = '{"bad": 0, "good": 1, "movie": 2}';

    // Act
    const vocabulary = Vocabulary.fromJSON(text);

    // Assess
    expect(vocabulary.size).toBe(3);
    expect(vocabulary.indexOf('good')).toBe(1);
    expect(vocabulary.indexOf('great')).toBeUndefined();
  });
});

describe('Vocabulary and prototype names', () => {
  const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

  it('treats prototype names as ordinary words when they are in the vocabulary', () => {
    // Prepare
    const text = `{${PROTOTYPE_NAMES.map((word, i) => `"${word}": ${i}`).join(', ')}}`;

    // Act
    const vocabulary = Vocabulary.fromJSON(text);

    // Assess
    expect(vocabulary.size).toBe(PROTOTYPE_NAMES.length);
    expect(PROTOTYPE_NAMES.map((word) => vocabulary.indexOf(word))).toEqual(PROTOTYPE_NAMES.map((_, i) => i));
  });

  it('finds no prototype name that is not in the vocabulary', () => {
    // Prepare
    const vocabulary = Vocabulary.fromJSON('{"good": 0}');

    // Act
    const found = PROTOTYPE_NAMES.map((word) => vocabulary.indexOf(word));

    // Assess
    expect(found).toEqual(PROTOTYPE_NAMES.map(() => undefined));
  });

  it('does not count prototype names of a review that are not in the vocabulary', () => {
    // Prepare
    const encoder = createPayloadEncoder(Vocabulary.fromJSON('{"good": 0, "bad": 1}'));

    // Act
    const payload = encoder.encode(['constructor __proto__ tostring hasownproperty valueof good']);

    // Assess
    expect(payload.body).toBe('1,0');
    expect(payload.knownWords).toBe(1);
  });

  it('keeps __proto__ as an own key through toJSON and back', () => {
    // Prepare
    const vocabulary = Vocabulary.fromJSON('{"__proto__": 0, "constructor": 1, "good": 2}');

    // Act
    const json = vocabulary.toJSON();
    const roundTrip = Vocabulary.fromJSON(JSON.stringify(json));

    // Assess
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(JSON.stringify(json)).toBe('{"__proto__":0,"constructor":1,"good":2}');
    expect(roundTrip.indexOf('__proto__')).toBe(0);
    expect([...roundTrip.entries()]).toEqual([...vocabulary.entries()]);
  });
});
