/**
 * Golden parity: every named edge case of test/fixtures/golden/cases.json, whose bodies were produced by
 * the Python oracle of the original handler (scripts/original_preprocessing.py) — regenerate with
 * `npm run fixtures:golden`. These run without python3; test/encoder/differential.test.ts checks the
 * fixture is still what the oracle writes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPayloadEncoder, Vocabulary } from '../../src/encoder/index.ts';

interface GoldenCase {
  readonly name: string;
  readonly review: string;
  readonly csv: string;
}

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/golden/${name}`, import.meta.url), 'utf8');
const vocabulary = Vocabulary.fromJSON(fixture('vocabulary.json'));
const { cases } = JSON.parse(fixture('cases.json')) as { cases: GoldenCase[] };
const csv = createPayloadEncoder(vocabulary, 'csv');
const libsvm = createPayloadEncoder(vocabulary, 'libsvm');

/** `column -> count` of the non-zero entries of a dense CSV row. */
function csvCounts(row: string): Map<number, number> {
  const counts = new Map<number, number>();
  row.split(',').forEach((cell, column) => {
    if (cell !== '0') counts.set(column, Number(cell));
  });
  return counts;
}

/** `column -> count` of a libsvm row `0 <column>:<count> ...`, with its columns in order. */
function libsvmCounts(row: string): { label: string; counts: Map<number, number>; columns: number[] } {
  const [label, ...pairs] = row.split(' ');
  const counts = new Map<number, number>();
  const columns: number[] = [];
  for (const pair of pairs) {
    const [column, count] = pair.split(':').map(Number) as [number, number];
    columns.push(column);
    counts.set(column, count);
  }
  return { label: label as string, counts, columns };
}

describe('golden fixtures from the original handler (scripts/original_preprocessing.py)', () => {
  it('covers the edge cases the fixtures were generated for', () => {
    // Prepare
    const names = cases.map((c) => c.name);

    // Act
    const distinct = new Set(names);

    // Assess
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(distinct.size).toBe(cases.length);
    expect(cases.every((c) => c.csv.split(',').length === vocabulary.size)).toBe(true);
  });

  it.each(cases)('csv body of "$name" equals the original handler\'s', ({ review, csv: expected }) => {
    // Prepare
    const reviews = [review];

    // Act
    const payload = csv.encode(reviews);

    // Assess
    expect(payload.body).toBe(expected);
    expect(payload.rows).toBe(1);
  });

  it.each(cases)('libsvm row of "$name" carries the same counts as the csv body', ({ review, csv: expected }) => {
    // Prepare
    const expectedCounts = csvCounts(expected);

    // Act
    const { label, counts, columns } = libsvmCounts(libsvm.encodeRow(review));

    // Assess
    expect(label).toBe('0');
    expect(counts).toEqual(expectedCounts);
    expect(columns).toEqual([...columns].sort((a, b) => a - b));
  });

  it('counts words found in the vocabulary as the csv body does', () => {
    // Prepare
    const expectedKnown = cases.map((c) => [...csvCounts(c.csv).values()].reduce((sum, n) => sum + n, 0));

    // Act
    const known = cases.map((c) => csv.encode([c.review]).knownWords);

    // Assess
    expect(known).toEqual(expectedKnown);
  });
});
