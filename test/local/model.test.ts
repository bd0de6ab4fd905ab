import { describe, expect, it } from 'vitest';
import { evaluate, loadLabelledSentences } from '../../default-model/accuracy.ts';
import { buildLexiconModel, WEIGHT_PER_VALENCE_POINT } from '../../default-model/build-lexicon-model.ts';
import { LinearModel, loadLexiconModel, parseModel } from '../../local/model/model.ts';
import { createPayloadEncoder } from '../../src/encoder/payload.ts';
import { Vocabulary } from '../../src/encoder/vocabulary.ts';
import { ModelFormatProblem } from '../../src/xgboost/errors.ts';

const tiny = { name: 'tiny', description: 'test', vocabulary: { bad: 0, good: 1 }, weights: [-2, 2], bias: 0.5 };
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('LinearModel', () => {
  it('scores sigmoid(bias + sum(weight * count)) per row', () => {
    // Prepare
    const model = new LinearModel(tiny);

    // Act
    const scores = model.predict([
      [0, 0],
      [1, 2],
    ]);

    // Assess
    expect(scores).toEqual([sigmoid(0.5), sigmoid(0.5 - 2 + 4)]);
  });

  it('rejects a model whose weights do not match the vocabulary, naming both sizes', () => {
    // Prepare
    const document = { ...tiny, weights: [1] };

    // Act
    const act = () => new LinearModel(document);

    // Assess
    expect(act).toThrow(ModelFormatProblem);
    expect(act).toThrow(/"weights" has 1 entries but the vocabulary has 2 words/);
  });

  it('moves its weights onto another vocabulary: known words keep theirs, unknown words weigh 0', () => {
    // Prepare
    const model = new LinearModel(tiny);
    const other = new Vocabulary({ good: 0, film: 1, bad: 2 });

    // Act
    const moved = model.onVocabulary(other);

    // Assess
    expect(moved.featureCount).toBe(3);
    expect(moved.predict([[1, 5, 1]])).toEqual(model.predict([[1, 1]]));
    expect([moved.weightOf('good'), moved.weightOf('film'), moved.weightOf('bad')]).toEqual([2, 0, -2]);
    expect(moved.name).toBe('tiny-on-3-words');
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no name', JSON.stringify({ ...tiny, name: '' }), /"name"/],
    ['a duplicate index', JSON.stringify({ ...tiny, vocabulary: { bad: 0, good: 0 } }), /"vocabulary".*already used/],
    ['a non-numeric weight', JSON.stringify({ ...tiny, weights: [1, 'x'] }), /"weights"\[1\]/],
    ['a missing bias', JSON.stringify({ ...tiny, bias: undefined }), /"bias"/],
  ])('rejects %s with a message naming the field', (_case, text, message) => {
    // Act
    const act = () => parseModel(text);

    // Assess
    expect(act).toThrow(message);
  });
});

describe('lexicon model (default-model/lexicon-model.json)', () => {
  // Its vocabulary travels inside the file; default-vocabulary.json is the XGBoost model's (default-model.test.ts).
  it('is the committed artifact the builder produces', () => {
    // Prepare
    const built = buildLexiconModel();

    // Act
    const committed = loadLexiconModel().toJSON();

    // Assess
    expect(committed).toEqual(built);
    expect(committed.name).toBe('afinn-165-linear');
  });

  it('keeps only words the preprocessing can produce, sorted, weighted by AFINN valence', () => {
    // Prepare
    const model = loadLexiconModel();

    // Act
    const words = [...model.vocabulary.entries()].sort((a, b) => a[1] - b[1]).map(([word]) => word);

    // Assess
    expect(words).toEqual([...words].sort());
    expect(model.vocabulary.indexOf('not good')).toBeUndefined();
    expect(model.vocabulary.indexOf("can't stand")).toBeUndefined();
    expect(model.weightOf('good')).toBeCloseTo(3 * WEIGHT_PER_VALENCE_POINT);
    expect(model.weightOf('terrible')).toBeCloseTo(-3 * WEIGHT_PER_VALENCE_POINT);
  });

  it('cannot see negation: "not good" scores like "good" (a bag-of-words limit)', () => {
    // Prepare
    const model = loadLexiconModel();
    const encoder = createPayloadEncoder(model.vocabulary, 'csv');
    const row = (review: string) => encoder.encodeRow(review).split(',').map(Number);

    // Act
    const [good, notGood] = model.predict([row('good'), row('not good')]);

    // Assess
    expect(notGood).toBe(good);
    expect(good).toBeGreaterThan(0.5);
  });

  it('classifies the labelled sentences with at least 80% accuracy through the real encoder', () => {
    // Prepare
    const sentences = loadLabelledSentences();

    // Act
    const result = evaluate(loadLexiconModel(), sentences);

    // Assess: 107/130 = 82.3% measured; 80% leaves room for 3 sentence edits, not for a broken model.
    expect(sentences.length).toBeGreaterThanOrEqual(120);
    expect(sentences.filter((s) => s.label === 1).length).toBe(sentences.length / 2);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.8);
  });
});
