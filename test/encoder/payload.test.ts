import { describe, expect, it } from 'vitest';
import { createPayloadEncoder, PAYLOAD_CONTENT_TYPES, payloadEncoderFor, Vocabulary } from '../../src/encoder/index.ts';

const vocabulary = Vocabulary.fromJSON('{"bad": 0, "film": 1, "good": 2, "great": 3, "movie": 4}');

describe('payload encoder', () => {
  it('gives one row per review, in order, equal to single encodes joined by newlines', () => {
    // Prepare
    const encoder = createPayloadEncoder(vocabulary, 'csv');
    const reviews = ['Good film.', 'A BAD, bad movie!', 'great great great good', 'Good film.'];
    const singles = reviews.map((review) => encoder.encode([review]).body);

    // Act
    const payload = encoder.encode(reviews);

    // Assess
    expect(payload.body).toBe(singles.join('\n'));
    expect(payload.body.split('\n')).toEqual(['0,1,1,0,0', '2,0,0,0,1', '0,0,1,3,0', '0,1,1,0,0']);
    expect(payload.rows).toBe(4);
    expect(payload.words).toBe(2 + 4 + 4 + 2);
    expect(payload.knownWords).toBe(2 + 3 + 4 + 2);
  });

  it('gives libsvm rows per review, in order, equal to single encodes joined by newlines', () => {
    // Prepare
    const encoder = createPayloadEncoder(vocabulary, 'libsvm');
    const reviews = ['Good film.', 'A BAD, bad movie!', 'nothing known here'];

    // Act
    const payload = encoder.encode(reviews);

    // Assess
    expect(payload.body).toBe(reviews.map((review) => encoder.encodeRow(review)).join('\n'));
    expect(payload.body).toBe('0 1:1 2:1\n0 0:2 4:1\n0');
  });

  it('encodes a review with no known word as an all-zero row', () => {
    // Prepare
    const csv = createPayloadEncoder(vocabulary, 'csv');

    // Act
    const payload = csv.encode(['Nothing in here is known.']);

    // Assess
    expect(payload.body).toBe('0,0,0,0,0');
    expect(payload.words).toBe(5);
    expect(payload.knownWords).toBe(0);
  });

  it('encodes an empty review as an all-zero row and no review as an empty body', () => {
    // Prepare
    const csv = createPayloadEncoder(vocabulary, 'csv');

    // Act
    const empty = csv.encode(['']);
    const none = csv.encode([]);

    // Assess
    expect(empty).toMatchObject({ body: '0,0,0,0,0', rows: 1, words: 0, knownWords: 0 });
    expect(none).toMatchObject({ body: '', rows: 0, words: 0, knownWords: 0 });
  });

  it('writes counts of several digits in the csv row', () => {
    // Prepare
    const csv = createPayloadEncoder(vocabulary, 'csv');

    // Act
    const body = csv.encodeRow('good '.repeat(12) + 'bad '.repeat(105));

    // Assess
    expect(body).toBe('105,0,12,0,0');
  });

  it('labels each format with its content type', () => {
    // Prepare
    const csv = createPayloadEncoder(vocabulary, 'csv');
    const libsvm = createPayloadEncoder(vocabulary, 'libsvm');

    // Act
    const types = [csv.encode(['good']).contentType, libsvm.encode(['good']).contentType];

    // Assess
    expect(types).toEqual(['text/csv', 'text/libsvm']);
    expect(PAYLOAD_CONTENT_TYPES).toEqual({ csv: 'text/csv', libsvm: 'text/libsvm' });
    expect(createPayloadEncoder(vocabulary).format).toBe('csv');
  });

  it('returns the same encoder per vocabulary and format, and a different one otherwise', () => {
    // Prepare
    const other = Vocabulary.fromJSON('{"bad": 0, "film": 1, "good": 2, "great": 3, "movie": 4}');

    // Act
    const first = payloadEncoderFor(vocabulary, 'csv');
    const again = payloadEncoderFor(vocabulary, 'csv');
    const byDefault = payloadEncoderFor(vocabulary);
    const libsvm = payloadEncoderFor(vocabulary, 'libsvm');
    const otherVocabulary = payloadEncoderFor(other, 'csv');

    // Assess
    expect(again).toBe(first);
    expect(byDefault).toBe(first);
    expect(libsvm).not.toBe(first);
    expect(libsvm.format).toBe('libsvm');
    expect(otherVocabulary).not.toBe(first);
    expect(otherVocabulary.vocabulary).toBe(other);
  });

  it('gives the same rows whatever was encoded before (no state leaks between reviews)', () => {
    // Prepare
    const encoder = createPayloadEncoder(vocabulary, 'csv');
    const fresh = createPayloadEncoder(vocabulary, 'csv').encodeRow('film movie');

    // Act
    encoder.encode(['good good bad great film movie movie']);
    const after = encoder.encodeRow('film movie');

    // Assess
    expect(after).toBe(fresh);
    expect(after).toBe('0,1,0,0,1');
  });
});
