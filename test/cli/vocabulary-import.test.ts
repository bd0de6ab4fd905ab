import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PythonLiteralError,
  parsePythonDictLiteral,
  parseVocabularyText,
  vocabularyImportCommand,
  vocabularyToJSON,
} from '../../src/cli/vocabulary-import.ts';
import { Vocabulary, VocabularyError } from '../../src/encoder/index.ts';
import { HAS_PYTHON3, memoryIO, runMain, tempDirWith } from './cli-test-helpers.ts';

// Words that stress every rule of Python's repr: both quotes, backslashes, control and non-printable
// characters (printed as \x, \u, \U escapes), printable non-ASCII (printed raw), lone surrogates,
// JavaScript-special names, and text that looks like the literal's own syntax.
const TRICKY_WORDS = [
  'movie',
  "it's",
  'say "hi"',
  'both \' and "',
  'back\\slash',
  '\\',
  "'",
  '"',
  '',
  ' ',
  '#',
  '{',
  '}',
  ':',
  ',',
  'np.int64(1)',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'café',
  'naïve',
  'Δ',
  '東京',
  '😀',
  'e\u0301',
  'tab\there',
  'new\nline',
  'cr\rlf',
  '\x00nul',
  '\x07bell',
  '\x1bescape',
  '\x7fdel',
  '\x85nel',
  'non\u00a0breaking',
  'soft\u00adhyphen',
  'line\u2028separator',
  '\ufeffbom',
  '\ue000private',
  '\u{e0001}tag',
  '\u{10ffff}',
  '\ud800lone',
  'lone\udfff',
];

// Prints `vocab = str({word: index})` for [word, index, kind] triples read as JSON on stdin. numpy is
// not needed: kinds 1 and 2 are ints whose repr is numpy 2's `np.int64(12)` (and the `numpy.int64(12)`
// spelling), so the text is what str() of a dict of numpy scalars prints.
const PRINT_DICT = `
import json, sys
class NumpyInt(int):
    module = 'np'
    def __repr__(self):
        return '%s.int64(%d)' % (self.module, self)
class LongNumpyInt(NumpyInt):
    module = 'numpy'
kinds = [int, NumpyInt, LongNumpyInt]
print('vocab = ' + str({word: kinds[kind](index) for word, index, kind in json.load(sys.stdin)}))
`;

// What `python3 -c PRINT_DICT` (CPython 3.11.7) printed for TRICKY_WORDS, index i of kind i % 3
// (e\u0301 is escaped here only so that no editor normalizes it to a precomposed é).
// Re-checked against python3 below wherever python3 runs.
const PRINTED_BY_PYTHON = `vocab = {'movie': 0, "it's": np.int64(1), 'say "hi"': numpy.int64(2), 'both \\' and "': 3, 'back\\\\slash': np.int64(4), '\\\\': numpy.int64(5), "'": 6, '"': np.int64(7), '': numpy.int64(8), ' ': 9, '#': np.int64(10), '{': numpy.int64(11), '}': 12, ':': np.int64(13), ',': numpy.int64(14), 'np.int64(1)': 15, '__proto__': np.int64(16), 'constructor': numpy.int64(17), 'toString': 18, 'hasOwnProperty': np.int64(19), 'café': numpy.int64(20), 'naïve': 21, 'Δ': np.int64(22), '東京': numpy.int64(23), '😀': 24, 'e\u0301': np.int64(25), 'tab\\there': numpy.int64(26), 'new\\nline': 27, 'cr\\rlf': np.int64(28), '\\x00nul': numpy.int64(29), '\\x07bell': 30, '\\x1bescape': np.int64(31), '\\x7fdel': numpy.int64(32), '\\x85nel': 33, 'non\\xa0breaking': np.int64(34), 'soft\\xadhyphen': numpy.int64(35), 'line\\u2028separator': 36, '\\ufeffbom': np.int64(37), '\\ue000private': numpy.int64(38), '\\U000e0001tag': 39, '\\U0010ffff': np.int64(40), '\\ud800lone': numpy.int64(41), 'lone\\udfff': 42}
`;

// Printed by real numpy 2.4.6 on CPython 3.11.7: print('vocab = ' + str({... np.int64(i) ...})).
const PRINTED_BY_NUMPY_2 = `vocab = {'good': np.int64(0), "it's": np.int64(1), 'café': np.int64(2), '__proto__': np.int64(3), 'a"b\\'c': np.int64(4), '\\x85nel': np.int64(5), '\\U000e0001': np.int64(6), 'tab\\there': np.int64(7), 'back\\\\slash': np.int64(8)}
`;

const entriesOf = (words: readonly string[]) => words.map((word, index) => [word, index] as const);

function parseError(text: string): PythonLiteralError {
  try {
    parsePythonDictLiteral(text);
  } catch (error) {
    if (error instanceof PythonLiteralError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parsePythonDictLiteral', () => {
  it('reads back exactly the words and indices python3 printed with str(dict), numpy 2 values included', () => {
    // Prepare
    const printed = HAS_PYTHON3
      ? spawnSync('python3', ['-c', PRINT_DICT], {
          input: JSON.stringify(TRICKY_WORDS.map((word, index) => [word, index, index % 3])),
          encoding: 'utf8',
          env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
        }).stdout
      : PRINTED_BY_PYTHON;

    // Act
    const parsed = parsePythonDictLiteral(printed);

    // Assess
    expect(printed).toBe(PRINTED_BY_PYTHON);
    expect([...parsed]).toEqual(entriesOf(TRICKY_WORDS));
  });

  it('reads the text real numpy 2 prints', () => {
    // Act
    const parsed = parsePythonDictLiteral(PRINTED_BY_NUMPY_2);

    // Assess
    expect([...parsed]).toEqual(
      entriesOf(['good', "it's", 'café', '__proto__', 'a"b\'c', '\x85nel', '\u{e0001}', 'tab\there', 'back\\slash']),
    );
  });

  it('reads the whole Python grammar a pasted vocabulary may use', () => {
    // Prepare: every escape, prefixes, concatenation, comments, continuations, numbers, trailing comma.
    const text = [
      '  self.vocabulary = {  # pasted from the notebook',
      `  'a\\'b': 0, "q\\"": +1, 'oct\\101\\7': 0x2, r'raw\\d\\'': 0o3,`,
      `  'x\\x41\\u0394\\U0001F600': 0b100, u'bell\\a\\b\\f\\v': np.int64( 5 ), 'un\\known': numpy.uint32(6),`,
      `  'con' "cat" \\`,
      `    'enated': 7, 'sp\\`,
      `lit': 1_0_0_0 - 992,`,
      '};',
    ].join('\n');

    // Act
    const error = parseError(text);

    // Assess: arithmetic is not part of the grammar, and the message says where it stopped.
    expect(error.message).toBe("6:15: expected ',' or '}' after the entry for 'split', found '-'");
    const fixed = parsePythonDictLiteral(text.replace('1_0_0_0 - 992', '8'));
    expect([...fixed]).toEqual([
      ["a'b", 0],
      ['q"', 1],
      ['octA\x07', 2],
      ["raw\\d\\'", 3],
      ['xAΔ😀', 4],
      ['bell\x07\b\f\v', 5],
      ['un\\known', 6],
      ['concatenated', 7],
      ['split', 8],
    ]);
  });

  it('keeps __proto__, constructor and toString as ordinary words', () => {
    // Act
    const parsed = parsePythonDictLiteral("{'__proto__': 0, 'constructor': 1, 'toString': 2}");

    // Assess
    expect(parsed.get('__proto__')).toBe(0);
    expect(parsed.get('constructor')).toBe(1);
    expect(parsed.get('toString')).toBe(2);
    expect(parsed.size).toBe(3);
  });

  it('reads any dict written with any mix of quotes, escapes, spacing and integer spellings', () => {
    // Prepare: a writer of valid Python for random words, choosing a spelling for every character.
    const anyCodeUnit = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));
    const words = fc.uniqueArray(fc.string({ unit: anyCodeUnit, maxLength: 8 }), { minLength: 1, maxLength: 12 });
    const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

    fc.assert(
      fc.property(words, fc.gen(), (list, g) => {
        const blank = () => g(fc.constantFrom, '', ' ', '\n  ', '\t', '  # a comment\n', ' \\\n');
        const spell = (char: string, quote: string): string => {
          const code = char.codePointAt(0) as number;
          const options = [`\\U${hex(code, 8)}`];
          if (code <= 0xffff) options.push(`\\u${hex(code, 4)}`);
          if (code <= 0xff) options.push(`\\x${hex(code, 2)}`);
          if (code <= 0o777) options.push(`\\${code.toString(8).padStart(3, '0')}`);
          if (char !== quote && char !== '\\' && char !== '\n' && char !== '\r') options.push(char);
          return g(fc.constantFrom, ...options);
        };
        const literal = (word: string): string => {
          const chars = [...word];
          const cut = g(fc.integer, { min: 0, max: chars.length });
          const piece = (part: string[]) => {
            const quote = g(fc.constantFrom, "'", '"');
            return `${g(fc.constantFrom, '', 'u')}${quote}${part.map((c) => spell(c, quote)).join('')}${quote}`;
          };
          return cut === 0 ? piece(chars) : `${piece(chars.slice(0, cut))}${blank()}${piece(chars.slice(cut))}`;
        };
        const integer = (n: number) =>
          g(fc.constantFrom, `${n}`, `np.int64(${n})`, `numpy.int64(${n})`, `0x${n.toString(16)}`);
        const body = list.map((word, index) => `${blank()}${literal(word)}${blank()}:${blank()}${integer(index)}`);
        const text = `${g(fc.constantFrom, '', 'vocab = ')}{${body.join(',')}${g(fc.constantFrom, '', ',')}${blank()}}`;

        // Act
        const parsed = parsePythonDictLiteral(text);

        // Assess
        expect([...parsed]).toEqual(entriesOf(list));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["{'a': 0,\n 'b': 1.5}", "2:7: expected an integer index for 'b', found a float"],
    ["{'a': 0,\n 'b: 1}", "2:2: unterminated string: no closing ' on this line"],
    ["{'a': 0 'b': 1}", "1:9: expected ',' or '}' after the entry for 'a', found '''"],
    ["{'a': 0", "1:8: expected ',' or '}' after the entry for 'a', found the end of the input"],
    ['{a: 0}', "1:2: expected a quoted word such as 'movie' as the key, found 'a'"],
    ["{'a' 0}", "1:6: expected ':' after the word 'a', found '0'"],
    ["vocab {'a': 0}", "1:7: expected '=' after the name vocab (as in: vocab = {...}), found '{'"],
    ["{'a': 0}\n}", "2:1: expected the end of the input after the dictionary's closing '}', found '}'"],
    ['', "1:1: expected '{' to start the dictionary (or a name and '=' before it), found the end of the input"],
    ["['a', 'b']", "1:1: expected '{' to start the dictionary (or a name and '=' before it), found '['"],
    ["{'a': True}", "1:7: expected an integer index for 'a' (such as 12, np.int64(12) or numpy.int64(12)), found True"],
    [
      "{'a': np.float64(1.0)}",
      "1:7: expected an integer index for 'a' (such as 12, np.int64(12) or numpy.int64(12)), found np.float64",
    ],
    ["{'a': np.int64 1}", "1:16: expected '(' after np.int64, found '1'"],
    ["{'a': np.int64(1}", "1:17: expected ')' to close np.int64(, found '}'"],
    ["{'a': 012}", "1:7: expected an integer index for 'a', found an invalid number"],
    ["{'a': 1e3}", "1:7: expected an integer index for 'a', found a float"],
    ["{'a': 99999999999999999999}", "1:7: the index of 'a' is too large: 99999999999999999999"],
    [
      "{'a\\N{BULLET}': 0}",
      '1:4: \\N{...} named escapes are not supported: write the character itself or a \\u escape',
    ],
    ["{'a\\x4': 0}", '1:4: truncated \\x escape: it needs exactly 2 hex digits'],
    ["{'\\U00110000': 0}", '1:3: \\U00110000 is beyond U+10FFFF, the last Unicode character'],
    ["{'a': 0, 'a': 1}", "1:10: the word 'a' appears a second time (first at 1:2)"],
    ["{b'a': 0}", '1:2: a bytes literal (b"...") cannot be a word: words are str'],
    ["{f'a': 0}", '1:2: f-strings are not supported: write the word as a plain string'],
    ["{'''a''': 0}", '1:2: triple-quoted strings are not supported: a printed dict never contains them'],
    [
      "{'😀': 0, 'b': x}",
      "1:15: expected an integer index for 'b' (such as 12, np.int64(12) or numpy.int64(12)), found x",
    ],
    ["{\r\n'a': 0,\r\n'b': ?}", "3:6: expected an integer index for 'b', found '?'"],
    ["{'a':\u00a00}", '1:6: expected an integer index for \'a\', found U+00A0 ("\u00a0")'],
  ])('rejects %j with an error naming line:column: %s', (text, message) => {
    // Act
    const error = parseError(text);

    // Assess
    expect(error.message).toBe(message);
    expect(`${error.line}:${error.column}: ${error.reason}`).toBe(message);
  });
});

describe('parseVocabularyText', () => {
  it('reads JSON as JSON, where \\/ and surrogate-pair escapes mean what JSON says', () => {
    // Act
    const { vocabulary, source } = parseVocabularyText('{"a\\/b": 1, "\\ud83d\\ude00": 0, "__proto__": 2}');

    // Assess
    expect(source).toBe('json');
    expect([...vocabulary.entries()]).toEqual([
      ['a/b', 1],
      ['😀', 0],
      ['__proto__', 2],
    ]);
  });

  it('reads a JSON word list in column order, the form the Lambda reads and npm run build bundles', () => {
    // Act
    const { vocabulary, source } = parseVocabularyText('["good", "bad", "__proto__", "café"]');

    // Assess
    expect(source).toBe('word-list');
    expect([...vocabulary.entries()]).toEqual(entriesOf(['good', 'bad', '__proto__', 'café']));
  });

  it('reads a word list to the same vocabulary as the Lambda does', () => {
    // Prepare
    const text = JSON.stringify(TRICKY_WORDS);

    // Act
    const imported = parseVocabularyText(text).vocabulary;

    // Assess
    expect(imported.wordsByColumn).toEqual(Vocabulary.fromJSON(text).wordsByColumn);
  });

  it('reads a Python dict literal when the text is not JSON', () => {
    // Act
    const { vocabulary, source } = parseVocabularyText("{'b': 1, 'a': 0,}");

    // Assess
    expect(source).toBe('python');
    expect(vocabulary.indexOf('a')).toBe(0);
    expect(vocabulary.indexOf('b')).toBe(1);
  });

  it.each([
    ["{'a': 0, 'b': 2}", 'Vocabulary entry "b": index 2 is outside 0..1 (the vocabulary has 2 words).'],
    ["{'a': 0, 'b': 0}", 'Vocabulary entry "b": index 0 is already used by "a".'],
    ['{}', 'The vocabulary is empty'],
    ['[]', 'The vocabulary is empty'],
    ['["a", "b", "a"]', 'Vocabulary entry 2 ("a"): the word appears more than once.'],
    ['[["a", 0]]', 'Vocabulary entry 0 (a,0): a word must be a string.'],
    ['42', 'must be a JSON object {"word": index, ...} or an array of words in column order'],
    ['null', 'must be a JSON object {"word": index, ...} or an array of words in column order'],
  ])('rejects the invalid vocabulary %j, naming the entry', (text, message) => {
    // Act
    const act = () => parseVocabularyText(text);

    // Assess
    expect(act).toThrow(VocabularyError);
    expect(act).toThrow(message);
  });
});

describe('vocabularyToJSON', () => {
  it('writes one entry per line in index order, and reads back to the same vocabulary, __proto__ included', () => {
    // Prepare
    const vocabulary = new Vocabulary(
      new Map([
        ['__proto__', 2],
        ['constructor', 0],
        ['new\nline \ud800', 1],
      ]),
    );

    // Act
    const json = vocabularyToJSON(vocabulary);

    // Assess
    expect(json).toBe('{\n  "constructor": 0,\n  "new\\nline \\ud800": 1,\n  "__proto__": 2\n}\n');
    const reread = Vocabulary.fromJSON(json);
    expect([...reread.entries()]).toEqual([
      ['constructor', 0],
      ['new\nline \ud800', 1],
      ['__proto__', 2],
    ]);
  });

  it('agrees with JSON.stringify of the object form, which keeps __proto__ as an own key', () => {
    // Prepare
    const vocabulary = new Vocabulary(new Map([['__proto__', 0]]));

    // Act
    const viaObject = JSON.stringify(vocabulary.toJSON());

    // Assess
    expect(viaObject).toBe('{"__proto__":0}');
    expect(JSON.parse(vocabularyToJSON(vocabulary))).toEqual(JSON.parse(viaObject));
  });
});

describe('vocabularyImportCommand', () => {
  it('prints the canonical JSON of a pasted Python vocabulary on stdout', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocab.py': "vocab = {'movie': np.int64(1), \"it's\": np.int64(0)}\n" });
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, 'vocab.py')], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('{\n  "it\'s": 0,\n  "movie": 1\n}\n');
    expect(stderr.text()).toBe('');
  });

  it('writes the JSON to --out and says so on stderr, keeping stdout empty', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocab.py': PRINTED_BY_PYTHON });
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, 'vocab.py'), '--out', join(dir, 'vocabulary.json')], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe(`Wrote 43 words (read as a Python dict literal) to ${join(dir, 'vocabulary.json')}\n`);
    const written = Vocabulary.fromJSON(readFileSync(join(dir, 'vocabulary.json'), 'utf8'));
    expect([...written.entries()]).toEqual(entriesOf(TRICKY_WORDS));
  });

  it('turns a JSON word list into the canonical {"word": index} form', async () => {
    // Prepare
    const dir = tempDirWith({ 'words.json': '["good", "bad", "movie"]\n' });
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, 'words.json'), '--out', join(dir, 'vocabulary.json')], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe(`Wrote 3 words (read as a JSON word list) to ${join(dir, 'vocabulary.json')}\n`);
    expect(readFileSync(join(dir, 'vocabulary.json'), 'utf8')).toBe('{\n  "good": 0,\n  "bad": 1,\n  "movie": 2\n}\n');
  });

  it('refuses to overwrite an existing --out, saying to pass --force, and leaves the file as it was', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocab.py': "{'good': 0}", 'vocabulary.json': '{"precious": 0}\n' });
    const out = join(dir, 'vocabulary.json');
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, 'vocab.py'), '--out', out], io);

    // Assess
    expect(code).toBe(1);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe(
      `sentiment-lambda vocabulary import: cannot write ${JSON.stringify(out)}: the file already exists: pass --force to overwrite it, or choose another --out\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('{"precious": 0}\n');
  });

  it.each([['--force'], ['-f']])('overwrites an existing --out when given %s', async (force) => {
    // Prepare
    const dir = tempDirWith({ 'vocab.py': "{'good': 0}", 'vocabulary.json': '{"old": 0}\n' });
    const out = join(dir, 'vocabulary.json');
    const { io, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, 'vocab.py'), '--out', out, force], io);

    // Assess
    expect(code).toBe(0);
    expect(stderr.text()).toBe(`Wrote 1 word (read as a Python dict literal) to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe('{\n  "good": 0\n}\n');
  });

  it('can overwrite its own input with --force, as the input is read before anything is written', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocabulary.json': '["good", "bad"]' });
    const file = join(dir, 'vocabulary.json');
    const { io } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([file, '--out', file, '--force'], io);

    // Assess
    expect(code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('{\n  "good": 0,\n  "bad": 1\n}\n');
  });

  it('reads the vocabulary from stdin when FILE is -', async () => {
    // Prepare
    const { io, stdout } = memoryIO("{'b': 1, 'a': 0}");

    // Act
    const code = await vocabularyImportCommand(['-'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('{\n  "a": 0,\n  "b": 1\n}\n');
  });

  it.each([
    ['vocab.py', "{'a': 0,\n  'b' 1}", "vocab.py:2:7: expected ':' after the word 'b', found '1'"],
    ['vocab.py', "{'a': 0, 'b': 5}", 'vocab.py: Vocabulary entry "b": index 5 is outside 0..1'],
    ['missing.py', undefined, 'cannot read vocabulary file "DIR/missing.py": no such file or directory'],
  ])('rejects %s (%j) with exit 1, naming the file and where, writing nothing', async (name, content, message) => {
    // Prepare
    const dir = tempDirWith(content === undefined ? {} : { [name]: content });
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand([join(dir, name), '--out', join(dir, 'out.json')], io);

    // Assess
    expect(code).toBe(1);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain(message.replace('DIR', dir).replace(`${name}:`, `${join(dir, name)}:`));
    expect(() => readFileSync(join(dir, 'out.json'))).toThrow(/ENOENT/);
  });

  it.each([
    [[], 'missing the vocabulary FILE to import'],
    [['a.py', 'b.py'], 'unexpected argument "b.py"'],
    [['a.py', '--output', 'x'], "Unknown option '--output'"],
    [['a.py', '--force'], '--force needs --out OUT'],
  ])('answers %j with a usage error (exit 2)', async (args, message) => {
    // Prepare
    const { io, stderr } = memoryIO();

    // Act
    const code = await vocabularyImportCommand(args, io);

    // Assess
    expect(code).toBe(2);
    expect(stderr.text()).toContain(message);
  });
});

describe('sentiment-lambda vocabulary import (spawned as `npm run vocabulary -- import` runs it)', () => {
  it('turns a pasted Python vocabulary into JSON that encode then uses', () => {
    // Prepare
    const dir = tempDirWith({
      'handler.py': "vocab = {'great': np.int64(0), 'film': np.int64(1), '__proto__': np.int64(2)}\n",
    });

    // Act
    const imported = runMain(['vocabulary', 'import', 'handler.py', '--out', 'vocabulary.json'], '', dir);
    const encoded = runMain(['encode', '--vocabulary', 'vocabulary.json'], '"Great film, great __proto__"\n', dir);

    // Assess
    expect(imported.status).toBe(0);
    expect(imported.stderr).toBe('Wrote 3 words (read as a Python dict literal) to vocabulary.json\n');
    expect(readFileSync(join(dir, 'vocabulary.json'), 'utf8')).toBe(
      '{\n  "great": 0,\n  "film": 1,\n  "__proto__": 2\n}\n',
    );
    expect(encoded.status).toBe(0);
    expect(encoded.stdout).toBe('2,1,1\n');
  });

  it('exits 1 with FILE:line:column on a syntax error', () => {
    // Prepare
    const dir = tempDirWith({ 'handler.py': "vocab = {\n    'great': 0,\n    'film': 1.0,\n}\n" });

    // Act
    const result = runMain(['vocabulary', 'import', 'handler.py'], '', dir);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      "sentiment-lambda vocabulary import: handler.py:3:13: expected an integer index for 'film', found a float\n",
    );
  });
});
