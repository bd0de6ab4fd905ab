/**
 * The request validator the pipeline and the bundle use is Ajv standalone code generated from
 * schemas/review-request.schema.json: it must be what the schema generates today.
 */
import { describe, expect, it } from 'vitest';
import validate from '../../schemas/validators/review-request.js';
import { writeValidators } from '../../scripts/generate-validators.ts';

describe('generated request validators', () => {
  it('are up to date with the JSON Schemas (run node scripts/generate-validators.ts when this fails)', () => {
    // Act
    const stale = writeValidators({ check: true });

    // Assess
    expect(stale).toEqual([]);
  });

  it('accept the three request shapes and refuse the others without the Ajv compiler', () => {
    // Act
    const verdicts = [
      'raw review text',
      { review: 'one review' },
      { reviews: ['a', 'b'] },
      { review: 1 },
      { reviews: [] },
      { review: 'a', reviews: ['b'] },
      JSON.parse('{"__proto__": "x"}'),
      ['not', 'an', 'object'],
    ].map((body) => validate({ body }));

    // Assess
    expect(verdicts).toEqual([true, true, true, false, false, false, false, false]);
  });
});
