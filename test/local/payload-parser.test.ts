/**
 * The container's reading of request rows, unit by unit: which CSV cells are missing values (an empty cell,
 * `nan`), which are values (0 among them), the number syntax numpy reads, and what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { ContainerError, parseCsv, parseLibsvm } from '../../local/endpoint/payload-parser.ts';

describe('parseCsv', () => {
  it('reads an empty cell and nan (any case) as missing, 0 as a value', () => {
    // Act
    const [row] = parseCsv('1,,nan,0,NaN,-nan,0.0\n', 7);

    // Assess
    expect(Array.from(row ?? [])).toEqual([1, Number.NaN, Number.NaN, 0, Number.NaN, Number.NaN, 0]);
  });

  it("reads numbers as Python's float() does: signs, exponents, underscores, surrounding spaces", () => {
    // Act
    const [row] = parseCsv('+.5,5.,1e3,-2.5E-1,1_000, 7 ,000012,0.1', 8);

    // Assess
    expect(Array.from(row ?? [])).toEqual([0.5, 5, 1000, -0.25, 1000, 7, 12, 0.1]);
  });

  it.each([
    ['a word', 'abc', 'could not convert string to float: "abc" (row 1, column 2)'],
    ['a hexadecimal number', '0x10', 'could not convert string to float: "0x10"'],
    ['whitespace only', ' ', 'could not convert string to float: " "'],
    ['inf', 'inf', 'Input data contains `inf` or a value too large for float32: "inf"'],
    ['a value beyond float32', '3.5e38', 'Input data contains `inf` or a value too large for float32: "3.5e38"'],
  ])('refuses %s with 415', (_name, cell, detail) => {
    // Act
    const act = () => parseCsv(`1,${cell},3`, 3);

    // Assess
    expect(act).toThrow(ContainerError);
    expect(act).toThrow(detail);
    expect(act).toThrow(expect.objectContaining({ statusCode: 415 }));
  });

  it('refuses rows of different widths with 415, and one width that is not the model with 400', () => {
    // Act
    const ragged = () => parseCsv('1,2,3\n4,5', 3);
    const narrow = () => parseCsv('1,2\n4,5', 3);

    // Assess
    expect(ragged).toThrow('rows have different numbers of fields (row 1 has 3, row 2 has 2).');
    expect(ragged).toThrow(expect.objectContaining({ statusCode: 415 }));
    expect(narrow).toThrow(expect.objectContaining({ statusCode: 400 }));
    expect(narrow).toThrow(
      'Unable to evaluate payload provided: Feature size of csv inference data 2 is not consistent with feature size of trained model 3.',
    );
  });
});

describe('parseLibsvm', () => {
  it('lists only the entries a row has (absent ones are missing), keeps explicit zeros, nan as a value to drop', () => {
    // Act
    const rows = parseLibsvm('1 0:1.5 3:0\n0 2:nan', 4);

    // Assess
    expect(rows).toEqual([
      { indices: [0, 3], values: [1.5, 0] },
      { indices: [2], values: [Number.NaN] },
    ]);
  });

  it('drops the rows after the last one with an entry, as the container has no score for them', () => {
    // Act
    const rows = parseLibsvm('0 0:1\n0\n1 1:2\n0\n1', 2);

    // Assess
    expect(rows).toEqual([
      { indices: [0], values: [1] },
      { indices: [], values: [] },
      { indices: [1], values: [2] },
    ]);
  });

  it('refuses an infinite value with 415', () => {
    // Act
    const act = () => parseLibsvm('0 0:inf', 2);

    // Assess
    expect(act).toThrow('Loading libsvm data failed with Exception');
    expect(act).toThrow('Input data contains `inf`');
    expect(act).toThrow(expect.objectContaining({ statusCode: 415 }));
  });
});
