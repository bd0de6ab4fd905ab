/**
 * The request validator the pipeline and the bundle use is Ajv standalone code generated from
 * schemas/review-request.schema.json: it must be what the schema generates today.
 */
import { describe, expect, it } from 'vitest';
import validate from '../../schemas/validators/review-request.js';
import { writeValidators } from '../../scripts/generate-validators.ts';

describe('generated request validators', () => {
  it('are up to date with the JSON Schemas (run npm run generate:validators when this fails)', () => {
    // Act
    const stale = writeValidators({ check: true });

    // Assess
    expect(stale).toEqual([]);
  });

  it('accept the three request shapes, with explain, and refuse the others without the Ajv compiler', () => {
    // Act (that a JSON body has exactly one of review and reviews is the code's to say: reviewRequest)
    const verdicts = [
      'raw review text',
      { review: 'one review' },
      { reviews: ['a', 'b'] },
      { review: 'one review', explain: true },
      { reviews: ['a'], explain: false },
      { review: 1 },
      { reviews: [] },
      { review: 'a', explain: 'yes' },
      {},
      JSON.parse('{"__proto__": "x"}'),
      ['not', 'an', 'object'],
    ].map((body) => validate({ body }));

    // Assess
    expect(verdicts).toEqual([true, true, true, true, true, false, false, false, false, false, false]);
  });
});
