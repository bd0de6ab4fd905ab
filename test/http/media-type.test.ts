/**
 * The project's one media-type parser: the essence every middleware compares, and the parameters
 * (`charset`) the body parser decodes with, read leniently as browsers read them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaTypeEssence, parseMediaType } from '../../src/http/media-type.ts';

/** The parameters of `header` as a plain object, for readable assertions. */
const parametersOf = (header: string) => Object.fromEntries(parseMediaType(header)?.parameters ?? []);

describe('parseMediaType', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['Text/Plain;charset=UTF-8', 'text/plain'],
    [' application/JSON ; charset=utf-8', 'application/json'],
    ['text/plain/extra', 'text/plain/extra'],
  ])('reads the essence of %j as %j', (header, essence) => {
    // Act
    const parsed = parseMediaType(header);

    // Assess
    expect(parsed?.essence).toBe(essence);
    expect(mediaTypeEssence(header)).toBe(essence);
  });

  it.each([[undefined], [null], [''], ['   '], [';'], [' ; charset=utf-8']])(
    'gives undefined for %j, which names no type',
    (header) => {
      // Act
      const parsed = parseMediaType(header);

      // Assess
      expect(parsed).toBeUndefined();
    },
  );

  it.each([
    ['text/plain', {}],
    ['text/plain;charset=UTF-8', { charset: 'UTF-8' }],
    ['Application/Json; boundary=x; charset="utf-8"', { boundary: 'x', charset: 'utf-8' }],
    ['text/plain; CHARSET=Latin1', { charset: 'Latin1' }],
    ['text/plain;;;charset=latin1;', { charset: 'latin1' }],
    ['text/plain; flag; charset=latin1', { charset: 'latin1' }],
    ['text/plain; charset=utf-8  \t', { charset: 'utf-8' }],
    ['text/plain; charset=', {}],
    ['text/plain; =utf-8', {}],
    ['text/plain; charset=latin1; charset=utf-8', { charset: 'latin1' }],
    ['text/plain; a="x;y"; charset=z', { a: 'x;y', charset: 'z' }],
    ['text/plain; charset="a\\"b\\\\"', { charset: 'a"b\\' }],
    ['text/plain; charset="utf-8', { charset: 'utf-8' }],
    ['text/plain; charset="utf-8"junk; format=flowed', { charset: 'utf-8', format: 'flowed' }],
    ['text/plain; charset=""', { charset: '' }],
  ])('reads the parameters of %j', (header, parameters) => {
    // Act
    const parsed = parametersOf(header);

    // Assess
    expect(parsed).toEqual(parameters);
  });

  it('never throws, and finds the essence the way every caller did before it existed', () => {
    // Prepare: the rule the two parsers it replaces applied.
    const before = (header: string) => header.split(';', 1)[0]?.trim().toLowerCase() || undefined;

    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'a/;="\\ \t') })),
        (header) => {
          // Act
          const parsed = parseMediaType(header);

          // Assess
          expect(parsed?.essence).toBe(before(header));
          for (const [name] of parsed?.parameters ?? []) expect(name).toBe(name.toLowerCase());
        },
      ),
      { numRuns: 2000 },
    );
  });
});
