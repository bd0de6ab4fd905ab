import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ORIGINAL_PREPROCESSING_PATH } from '../../scripts/generate-golden-fixtures.ts';
import { encodeCommand, encodeReviews, runEncode } from '../../src/cli/encode-command.ts';
import { createPayloadEncoder, Vocabulary } from '../../src/encoder/index.ts';
import { HAS_PYTHON3, memoryIO, runMain, Sink, tempDirWith } from './cli-test-helpers.ts';

// Words whose lowercasing, splitting or lookup differ between naive JavaScript and Python.
const WORDS = [
  'great',
  'film',
  'bad',
  'movie',
  '__proto__',
  'constructor',
  'tostring',
  'café',
  'σοφός',
  'i̇stanbul',
  'dont',
  'br',
];
const VOCABULARY_JSON = JSON.stringify(Object.fromEntries(WORDS.map((word, index) => [word, index])));
const REVIEWS = [
  'A great, great film!',
  "Bad movie.<br /><br />Really BAD; don't watch",
  '__proto__ constructor toString hasOwnProperty',
  'Café ΣΟΦΌΣ İstanbul',
  'great\x1cfilm\x85bad\u00a0movie\ufeffgreat',
  'film\u2028film\u2029great',
  '',
  'great-film/bad',
  '<br/><br/>great <br \t/><br\n/>film',
];
// One JSON string per line, with the blank lines the Python oracle skips ('', spaces, \x1c) and a CRLF line.
// JSON.stringify leaves U+2028 and U+2029 raw inside the strings: they must not split lines.
const REVIEWS_JSONL = `${[
  JSON.stringify(REVIEWS[0]),
  '',
  JSON.stringify(REVIEWS[1]),
  '   ',
  `${JSON.stringify(REVIEWS[2])}\r`,
  '\x1c',
  ...REVIEWS.slice(3).map((review) => JSON.stringify(review)),
].join('\n')}\n`;
// `python3 scripts/original_preprocessing.py vocabulary.json < reviews.jsonl` on the inputs above
// (CPython 3.11.7); the test below re-checks it against python3 wherever python3 runs.
const SEED_ENCODER_OUTPUT = `2,1,0,0,0,0,0,0,0,0,0,0
0,0,2,1,0,0,0,0,0,0,1,0
0,0,0,0,1,1,1,0,0,0,0,0
0,0,0,0,0,0,0,1,1,1,0,0
1,1,1,0,0,0,0,0,0,0,0,0
1,2,0,0,0,0,0,0,0,0,0,0
0,0,0,0,0,0,0,0,0,0,0,0
1,1,1,0,0,0,0,0,0,0,0,0
1,1,0,0,0,0,0,0,0,0,0,0
`;

const csvEncoder = () => createPayloadEncoder(Vocabulary.fromJSON(VOCABULARY_JSON), 'csv');

async function encode(input: string | Buffer | readonly (string | Buffer)[]) {
  const { io, stdout, stderr } = memoryIO(input);
  const code = await encodeReviews(csvEncoder(), io.stdin, io.stdout, io.stderr);
  return { code, stdout, stderr };
}

describe('encodeReviews (the stream-level core of `encode`)', () => {
  it('writes the same bodies as the Python reference, skipping blank lines', async () => {
    // Prepare
    const input = REVIEWS_JSONL;

    // Act
    const { code, stdout, stderr } = await encode(input);

    // Assess
    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
    expect(stdout.text()).toBe(SEED_ENCODER_OUTPUT);
  });

  it('gives the same output however the input bytes are split into chunks, even inside a character', async () => {
    // Prepare
    const bytes = Buffer.from(REVIEWS_JSONL);
    const splits = [1, 7, 30, 100, 131, 132, 133, 200, bytes.length - 1];

    // Act
    const results = await Promise.all(
      splits.map((at) => encode([bytes.subarray(0, at), bytes.subarray(at)]).then(({ stdout }) => stdout.text())),
    );
    const byteByByte = await encode([...bytes].map((byte) => Buffer.from([byte])));

    // Assess
    for (const output of results) expect(output).toBe(SEED_ENCODER_OUTPUT);
    expect(byteByByte.stdout.text()).toBe(SEED_ENCODER_OUTPUT);
  });

  it('encodes a last line that has no newline', async () => {
    // Prepare
    const input = '"great"\n"film film"';

    // Act
    const { code, stdout } = await encode(input);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('1,0,0,0,0,0,0,0,0,0,0,0\n0,2,0,0,0,0,0,0,0,0,0,0\n');
  });

  it('writes each body and its newline in a single write', async () => {
    // Prepare
    const input = '"great"\n"bad film"\n"movie"\n';

    // Act
    const { stdout } = await encode(input);

    // Assess
    expect(stdout.chunks).toEqual([
      '1,0,0,0,0,0,0,0,0,0,0,0\n',
      '0,1,1,0,0,0,0,0,0,0,0,0\n',
      '0,0,0,1,0,0,0,0,0,0,0,0\n',
    ]);
  });

  it.each([
    ['3', 'line 3: expected a JSON string (a review), got a number'],
    ['{"review": "great"}', 'line 3: expected a JSON string (a review), got an object'],
    ['["great"]', 'line 3: expected a JSON string (a review), got an array'],
    ['null', 'line 3: expected a JSON string (a review), got null'],
    ['true', 'line 3: expected a JSON string (a review), got a boolean'],
  ])('stops at a line holding %s, naming the line and what it got', async (badLine, message) => {
    // Prepare
    const input = `"great"\n\n${badLine}\n"film"\n`;

    // Act
    const { code, stdout, stderr } = await encode(input);

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toBe(`sentiment-lambda encode: ${message}\n`);
    expect(stdout.text()).toBe('1,0,0,0,0,0,0,0,0,0,0,0\n');
  });

  it('reports a line that is not JSON with its number and the parser message', async () => {
    // Prepare
    const input = '"great"\ngreat film\n';

    // Act
    const { code, stdout, stderr } = await encode(input);

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(/^sentiment-lambda encode: line 2: not valid JSON \(.+\); expected a JSON string/);
    expect(stdout.text()).toBe('1,0,0,0,0,0,0,0,0,0,0,0\n');
  });

  it('reports a line that is not UTF-8 instead of guessing its characters', async () => {
    // Prepare
    const input = Buffer.concat([Buffer.from('"film"\n"caf'), Buffer.from([0xe9]), Buffer.from('"\n')]);

    // Act
    const { code, stdout, stderr } = await encode(input);

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toBe('sentiment-lambda encode: line 2: not valid UTF-8 text\n');
    expect(stdout.text()).toBe('0,1,0,0,0,0,0,0,0,0,0,0\n');
  });

  it('ignores a byte order mark at the start of the input', async () => {
    // Prepare
    const input = '\ufeff"great"\n';

    // Act
    const { code, stdout } = await encode(input);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('1,0,0,0,0,0,0,0,0,0,0,0\n');
  });

  it('waits for a slow output to drain instead of buffering the whole input', async () => {
    // Prepare
    const lines = 2_000;
    const input = Readable.from([Buffer.from('"great film bad movie"\n'.repeat(lines))]);
    const rows: string[] = [];
    let mostBuffered = 0;
    const slowOutput = new Writable({
      highWaterMark: 64,
      write(chunk: Buffer, _encoding, callback) {
        rows.push(chunk.toString());
        setImmediate(callback);
      },
    });
    const write = slowOutput.write.bind(slowOutput);
    slowOutput.write = ((chunk: string) => {
      const ok = write(chunk);
      mostBuffered = Math.max(mostBuffered, slowOutput.writableLength);
      return ok;
    }) as typeof slowOutput.write;

    // Act
    const code = await encodeReviews(csvEncoder(), input, slowOutput, new Sink());
    await new Promise<void>((resolve) => slowOutput.end(resolve));

    // Assess
    expect(code).toBe(0);
    expect(rows).toHaveLength(lines);
    expect(new Set(rows)).toEqual(new Set(['1,1,1,1,0,0,0,0,0,0,0,0\n']));
    // One row (24 bytes) past the 64-byte mark at most: never thousands of rows waiting in memory.
    expect(mostBuffered).toBeLessThanOrEqual(64 + 24);
  });

  it('stops reading and says why when the output fails', async () => {
    // Prepare
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    const stderr = new Sink();

    // Act
    const code = await encodeReviews(
      csvEncoder(),
      Readable.from([Buffer.from('"great"\n'.repeat(100))]),
      broken,
      stderr,
    );

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toBe('sentiment-lambda encode: cannot write the output: disk full\n');
  });
});

describe('runEncode (vocabulary file, then the reviews)', () => {
  it('reads a JSON vocabulary file and encodes in the libsvm format when asked', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocabulary.json': VOCABULARY_JSON });
    const { io, stdout } = memoryIO('"great film, great film; br"\n');

    // Act
    const code = await runEncode({ vocabularyFile: join(dir, 'vocabulary.json'), format: 'libsvm' }, io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe('0 0:2 1:2 11:1\n');
  });

  it.each([
    ['missing.json', undefined, 'cannot read vocabulary file "DIR/missing.json": no such file or directory'],
    ['vocabulary.json', '{"great": 0, "film": 2}', 'Vocabulary entry "film": index 2 is outside 0..1'],
    ['vocabulary.json', '{"great": 0, "film": "1"}', 'Vocabulary entry "film": index "1" is not an integer.'],
    ['vocabulary.json', '["great", "great"]', 'Vocabulary entry 1 ("great"): the word appears more than once.'],
    ['vocabulary.json', '"great"', 'must be a JSON object'],
    ['vocabulary.json', Buffer.from([0x7b, 0xe9, 0x7d]), 'vocabulary file "DIR/vocabulary.json" is not valid UTF-8'],
  ])(
    'rejects the vocabulary file %s (%s), naming the file and the problem, with nothing on stdout',
    async (name, content, message) => {
      // Prepare
      const dir = tempDirWith(content === undefined ? {} : { [name]: content });
      const { io, stdout, stderr } = memoryIO('"great"\n');

      // Act
      const code = await runEncode({ vocabularyFile: join(dir, name) }, io);

      // Assess
      expect(code).toBe(1);
      expect(stdout.text()).toBe('');
      expect(stderr.text()).toContain(message.replace('DIR', dir));
      expect(stderr.text()).toContain(join(dir, name));
    },
  );

  it('points to `vocabulary import` when the vocabulary file is a Python dict literal', async () => {
    // Prepare
    const dir = tempDirWith({ 'vocab.py': "{'great': 0, 'film': 1}" });
    const { io, stdout, stderr } = memoryIO('"great"\n');

    // Act
    const code = await runEncode({ vocabularyFile: join(dir, 'vocab.py') }, io);

    // Assess
    expect(code).toBe(1);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain('is not valid JSON');
    expect(stderr.text()).toContain(
      `sentiment-lambda vocabulary import ${join(dir, 'vocab.py')} --out vocabulary.json`,
    );
  });
});

describe('encodeCommand (arguments)', () => {
  it.each([
    [[], 'missing --vocabulary FILE'],
    [['--vocabulary'], "Option '-v, --vocabulary <value>' argument missing"],
    [['--vocabulary', 'v.json', '--format', 'xml'], 'unknown --format "xml": use csv or libsvm'],
    [['--vocabulary', 'v.json', '--colour'], "Unknown option '--colour'"],
    [['--vocabulary', 'v.json', 'reviews.jsonl'], "Unexpected argument 'reviews.jsonl'"],
  ])('answers %j with a usage error (exit 2) that says what is wrong', async (args, message) => {
    // Prepare
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await encodeCommand(args, io);

    // Assess
    expect(code).toBe(2);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain(message);
    expect(stderr.text()).toContain("Run 'sentiment-lambda encode --help' for usage.");
  });

  it('prints its help on stdout for --help', async () => {
    // Prepare
    const { io, stdout } = memoryIO();

    // Act
    const code = await encodeCommand(['--help'], io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toContain('Usage: sentiment-lambda encode --vocabulary FILE [--format csv|libsvm]');
  });
});

describe('sentiment-lambda encode (spawned as `npm run encode` runs it)', () => {
  it('writes byte for byte what the Python reference writes', () => {
    // Prepare
    const dir = tempDirWith({ 'vocabulary.json': VOCABULARY_JSON, 'reviews.jsonl': REVIEWS_JSONL });
    const expected = HAS_PYTHON3
      ? spawnSync('python3', [ORIGINAL_PREPROCESSING_PATH, join(dir, 'vocabulary.json')], {
          input: REVIEWS_JSONL,
          encoding: 'utf8',
        }).stdout
      : SEED_ENCODER_OUTPUT;

    // Act
    const result = runMain(['encode', '--vocabulary', 'vocabulary.json'], REVIEWS_JSONL, dir);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(expected).toBe(SEED_ENCODER_OUTPUT);
    expect(result.stdout).toBe(expected);
  });

  it('exits 1 at a bad line, after the bodies of the lines before it', () => {
    // Prepare
    const dir = tempDirWith({ 'vocabulary.json': VOCABULARY_JSON });

    // Act
    const result = runMain(['encode', '--vocabulary', 'vocabulary.json'], '"great"\n"film"\n42\n"bad"\n', dir);

    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('1,0,0,0,0,0,0,0,0,0,0,0\n0,1,0,0,0,0,0,0,0,0,0,0\n');
    expect(result.stderr).toBe('sentiment-lambda encode: line 3: expected a JSON string (a review), got a number\n');
  });

  it('exits 2 on a usage error', () => {
    // Act
    const result = runMain(['encode', '--format', 'csv']);

    // Assess
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('missing --vocabulary FILE');
  });
});
