/**
 * The public API is what api/ says it is: each entry point of package.json's `exports` against its
 * committed API Extractor report (scripts/api-report.ts builds the declarations into a temporary
 * directory, so this needs no earlier build). A change to what users can import fails here until
 * `npm run api:update` rewrites the report, which then shows in the commit's diff.
 */
import { describe, expect, it } from 'vitest';
import { apiEntryPoints, apiReports } from '../../scripts/api-report.ts';

describe('the public API', () => {
  it('has one report per entry point of package.json exports', () => {
    // Act
    const reports = apiEntryPoints().map(({ report }) => report);

    // Assess
    expect(reports).toContain('sentiment-lambda');
    expect(reports).toContain('testing');
    expect(reports).toContain('middlewares-vocabulary');
    expect(new Set(reports).size).toBe(reports.length);
  });

  it('matches api/, and every export has an @example (npm run api:update rewrites api/ for a change meant)', () => {
    // Act
    const { changed, stale, messages, withoutExample } = apiReports();

    // Assess: API Extractor's messages hold each changed report's diff.
    const help = `${messages.join('\n')}\nA change meant: npm run api:update, and commit api/ with it.`;
    expect({ changed, stale, withoutExample }, help).toEqual({
      changed: [],
      stale: [],
      withoutExample: [],
    });
    expect(messages).toEqual([]);
  }, 180_000);
});
