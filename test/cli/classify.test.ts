/**
 * `sentiment-lambda classify`: its answers are the deployed function's (the in-process handler invoked
 * with the same reviews), in input order across worker threads, from every input format; bad lines are
 * named and skipped (or fatal with --strict); a model and vocabulary of different widths are refused; the
 * progress bar is drawn only where it belongs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLabelledSentences } from '../../default-model/accuracy.ts';
import { DEFAULT_MODEL_FILE, DEFAULT_VOCABULARY_FILE } from '../../default-model/files.ts';
import { CLASSIFY_USAGE, type ClassifyOptions, runClassify, wantsProgressBar } from '../../src/cli/classify-command.ts';
import { startScoringPool, WorkerFailure } from '../../src/cli/classify-pool.ts';
import { runCli } from '../../src/cli/run.ts';
import { createHandler } from '../../src/pipeline.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import { memoryIO, runMain, Sink, tempDirWith } from './cli-test-helpers.ts';

const MODEL = fileURLToPath(DEFAULT_MODEL_FILE);
const VOCABULARY = fileURLToPath(DEFAULT_VOCABULARY_FILE);
const WORDS: readonly string[] = Object.keys(JSON.parse(readFileSync(VOCABULARY, 'utf8')));

/**
 * Reviews that reach many of the model's splits: the project's labelled sentences, text whose lowercasing,
 * splitting or punctuation differ between naive JavaScript and Python, and bags of the vocabulary's own
 * words with case, punctuation, markup and repeats.
 */
const REVIEWS: readonly string[] = [
  ...loadLabelledSentences().map((sentence) => sentence.text),
  "Bad movie.<br /><br />Really BAD; don't watch",
  '__proto__ constructor toString hasOwnProperty',
  'Café ΣΟΦΌΣ İstanbul — “great” film',
  'great\x1cfilm\x85bad\u00a0movie\ufeffgreat',
  'film\u2028film\u2029great, "quoted", and a comma',
  'great-film/bad <br/><br/>awful <br \t/><br\n/>wonderful',
  'first line\nsecond line, great',
  'one\r\ntwo\r\nthree "quoted" words',
  ...Array.from({ length: 150 }, (_, r) =>
    Array.from({ length: 3 + (r % 40) }, (_, k) => {
      const word = WORDS[(r * 7919 + k * 104_729) % WORDS.length] as string;
      const text = (r + k) % 5 === 0 ? word.toUpperCase() : word;
      return `${text}${[' ', ', ', '. ', '! ', ' <br /><br />', '-', '/'][(r * 3 + k) % 7]}`.repeat(1 + ((r + k) % 4));
    }).join(''),
  ),
];

/** The deployed function's answer to each of {@link REVIEWS}, as the JSON line `classify` writes for it. */
let expected: Map<string, string>;
/** The same with `"explain": true`: what `classify --explain` writes. */
let explained: Map<string, string>;

beforeAll(async () => {
  // Prepare: the handler with the model in the function, as deployed, invoked directly.
  const handler = createHandler({
    model: { source: MODEL },
    vocabulary: { source: VOCABULARY },
    logger: new Logger({ serviceName: 'classify-test', logLevel: 'SILENT' }),
    metrics: false,
    maxBatchSize: REVIEWS.length,
  });
  /** Each review's result as a JSON line, asked of the handler as one batch. */
  const answers = async (explain: boolean): Promise<Map<string, string>> => {
    const reply = (await handler(
      restApiEvent({
        body: JSON.stringify({ reviews: REVIEWS, ...(explain ? { explain } : {}) }),
        headers: { 'Content-Type': 'application/json' },
      }),
      lambdaContext(),
    )) as APIGatewayProxyResult;
    expect(reply.statusCode, reply.body).toBe(200);
    const { results } = JSON.parse(reply.body) as { results: unknown[] };
    return new Map(REVIEWS.map((review, i) => [review, `${JSON.stringify(results[i])}\n`]));
  };
  expected = await answers(false);
  explained = await answers(true);
});

const answersFor = (reviews: readonly string[]): string => reviews.map((review) => expected.get(review)).join('');
const jsonLines = (values: readonly unknown[]): string => values.map((value) => `${JSON.stringify(value)}\n`).join('');
const csvField = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** Runs `classify` on the default model pair, `input` on stdin unless `options.input` names a file. */
async function classify(input: string | Buffer, options: Partial<ClassifyOptions> = {}) {
  const { io, stdout, stderr } = memoryIO(input);
  const code = await runClassify({ modelFile: MODEL, vocabularyFile: VOCABULARY, threads: 2, ...options }, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('classify: the answers', () => {
  it('answers each review exactly as the in-process handler does (input scored in this thread)', async () => {
    // Prepare
    const input = jsonLines(REVIEWS);

    // Act
    const { code, stdout, stderr } = await classify(input, { batchSize: 1000 });

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(answersFor(REVIEWS));
  });

  it('keeps input order across worker threads, batch after batch', async () => {
    // Prepare: small batches spread the reviews over both workers, in many rounds.
    const input = jsonLines(REVIEWS);

    // Act
    const { code, stdout, stderr } = await classify(input, { batchSize: 3, threads: 2 });

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(answersFor(REVIEWS));
  });

  it('with --explain, answers each review as the API does with "explain": true, here and in the workers', async () => {
    // Prepare
    const input = jsonLines(REVIEWS);

    // Act
    const here = await classify(input, { batchSize: 1000, explain: true });
    const workers = await classify(input, { batchSize: 7, threads: 2, explain: true });

    // Assess
    const answers = REVIEWS.map((review) => explained.get(review)).join('');
    expect(here.stderr).toBe('');
    expect(here.stdout).toBe(answers);
    expect(workers.stdout).toBe(answers);
    expect(JSON.parse(here.stdout.split('\n')[0] as string).explanation.words.length).toBeGreaterThan(0);
  });

  it('runs as the installed command does: workers in a real process, a file argument, exit 0', () => {
    // Prepare: more reviews than a batch (256), so that the workers start.
    const reviews = Array.from({ length: 300 }, (_, i) => REVIEWS[i % REVIEWS.length] as string);
    const dir = tempDirWith({ 'reviews.jsonl': jsonLines(reviews) });

    // Act
    const result = runMain(['classify', '-m', MODEL, '-v', VOCABULARY, '-t', '2', join(dir, 'reviews.jsonl')]);

    // Assess
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(answersFor(reviews));
  });
});

describe('classify: input formats', () => {
  const reviews = REVIEWS.slice(0, 40);

  it.each([
    ['JSON strings on stdin', () => jsonLines(reviews), {}],
    [
      '{"review"} objects on stdin, other fields ignored',
      () => jsonLines(reviews.map((review, id) => ({ id, review }))),
      {},
    ],
    [
      'strings and objects mixed, CRLF line ends, a BOM',
      () => `\ufeff${jsonLines(reviews.map((review, i) => (i % 2 ? review : { review }))).replaceAll('\n', '\r\n')}`,
      {},
    ],
    [
      'CSV on stdin, told by its header',
      () => `id,review\n${reviews.map((r, i) => `${i},${csvField(r)}`).join('\n')}\n`,
      {},
    ],
    [
      'CSV with a "Text" column, CRLF rows',
      () => `Text,stars\r\n${reviews.map((r) => `${csvField(r)},5`).join('\r\n')}\r\n`,
      {},
    ],
    [
      'CSV with --column',
      () => `review,body\n${reviews.map((r) => `x,${csvField(r)}`).join('\n')}\n`,
      { column: 'body' },
    ],
    [
      'CSV whose header is one quoted word, with --format csv',
      () => `"review"\n${reviews.map(csvField).join('\n')}\n`,
      { format: 'csv' as const },
    ],
  ])('reads %s', async (_name, input, options) => {
    // Act
    const { code, stdout, stderr } = await classify(input(), options);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(answersFor(reviews));
  });

  it.each([
    ['reviews.csv', `review\n${reviews.map(csvField).join('\n')}\n`],
    ['reviews.jsonl', jsonLines(reviews)],
    ['reviews.ndjson', jsonLines(reviews.map((review) => ({ review })))],
  ])('tells the format of %s by its extension', async (name, content) => {
    // Prepare
    const dir = tempDirWith({ [name]: content });

    // Act
    const { code, stdout, stderr } = await classify('', { input: join(dir, name) });

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(answersFor(reviews));
  });

  it('keeps a review whose quoted CSV field spans lines, and names later lines by their own number', async () => {
    // Prepare: line breaks inside quotes, `\n` and `\r\n` (each one line), an empty line, `""` escapes.
    const reviews = ['first line\nsecond line, great', 'one\r\ntwo\r\nthree "quoted" words'];
    expect(reviews.every((review) => REVIEWS.includes(review))).toBe(true);
    const input = `review\n${reviews.map(csvField).join('\n')}\n\n""\n`;

    // Act
    const { code, stdout, stderr } = await classify(input, { format: 'csv' });

    // Assess: `""` is on line 8 (1 header, 2-3 and 4-6 the reviews, 7 empty).
    expect(stdout).toBe(answersFor(reviews));
    expect(stderr).toBe(
      'sentiment-lambda classify: line 8: the review is empty\nsentiment-lambda classify: 1 bad line skipped; 2 reviews classified\n',
    );
    expect(code).toBe(1);
  });

  it('names a CSV review that is not UTF-8 (a file saved in Latin-1) rather than mangling it', async () => {
    // Prepare
    const input = Buffer.concat([
      Buffer.from(`review\n${csvField(REVIEWS[0] as string)}\ncaf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);

    // Act
    const { code, stdout, stderr } = await classify(input, { format: 'csv' });

    // Assess
    expect(stdout).toBe(answersFor([REVIEWS[0] as string]));
    expect(stderr).toContain('sentiment-lambda classify: line 3: the "review" field is not valid UTF-8 text\n');
    expect(code).toBe(1);
  });

  it('refuses a CSV header without the review column, naming the columns it has', async () => {
    // Act
    const { code, stdout, stderr } = await classify('id,body\n1,great\n', { format: 'csv' });

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'sentiment-lambda classify: the CSV header (line 1) has no "review" or "text" column; its columns are "id", "body": name the review column with --column NAME\n',
    );
  });
});

describe('classify: memory', () => {
  it('reads the input only as fast as the output takes the results', async () => {
    // Prepare: an endless input, and an output that takes one write and then stalls.
    let linesRead = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (;;) {
        linesRead += 1;
        yield Buffer.from(`${JSON.stringify(REVIEWS[linesRead % REVIEWS.length])}\n`);
      }
    }
    let firstWrite: () => void = () => {};
    const wrote = new Promise<void>((resolve) => {
      firstWrite = resolve;
    });
    const stalled = new Writable({ highWaterMark: 1, write: () => firstWrite() });
    const { io, stderr } = memoryIO();

    // Act
    const run = runClassify(
      { modelFile: MODEL, vocabularyFile: VOCABULARY, batchSize: 10, threads: 1 },
      { ...io, stdin: Readable.from(endless()), stdout: stalled },
    );
    await wrote;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const readWhileStalled = linesRead;
    stalled.destroy();
    const code = await run;

    // Assess: a few batches in flight and the stream's own buffer, not the endless input.
    expect(readWhileStalled).toBeLessThan(100);
    expect(code).toBe(1);
    expect(stderr.text()).toBe('sentiment-lambda classify: cannot write the output: the stream was closed\n');
  });
});

/** Workers given bytes none can read as a model (the command checks the file first; this is the backstop). */
const startFailingPool = () =>
  startScoringPool({
    threads: 2,
    modelBytes: new Uint8Array([1, 2, 3]),
    modelLabel: 'm.ubj',
    vocabularyText: '{}',
    explain: false,
  });

describe('classify: worker threads', () => {
  it('fails every batch, rather than waiting forever, when the workers cannot start', async () => {
    // Prepare
    const pool = startFailingPool();

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => pool.score(['a great film'])));
    await pool.close();

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(WorkerFailure);
      expect(reason.message).toMatch(/^m\.ubj: not an XGBoost model/);
    }
  });
});

describe('classify: closing a failed pool', () => {
  it('closes cleanly however late the last worker fails (tinypool 2.2 throws if one fails during its destroy)', async () => {
    // Prepare: the failure is a race (about 1 pool in 8 without the wait in classify-pool.ts), so twenty pools
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);

    // Act
    try {
      for (let i = 0; i < 20; i++) {
        const pool = startFailingPool();
        await Promise.allSettled(Array.from({ length: 5 }, () => pool.score(['a great film'])));
        await pool.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 50)); // a last late failure
    } finally {
      process.off('uncaughtException', record);
    }

    // Assess
    expect(uncaught).toEqual([]);
  });
});

describe('classify: bad lines', () => {
  const [good1, good2, good3] = REVIEWS as [string, string, string];
  const input = [
    JSON.stringify(good1),
    'not json',
    '',
    '42',
    '{"id": 3}',
    '{"review": ["a list"]}',
    JSON.stringify(good2),
    '""',
    '"  \\t "',
    JSON.stringify(good3),
  ].join('\n');

  it('names every bad line by its number on stderr, skips it, classifies the rest and exits 1', async () => {
    // Act
    const { code, stdout, stderr } = await classify(input);

    // Assess
    expect(stdout).toBe(answersFor([good1, good2, good3]));
    expect(stderr.split('\n')).toEqual([
      expect.stringMatching(
        /^sentiment-lambda classify: line 2: not valid JSON \(.+\); expected a JSON string or \{"review": "..."\}$/,
      ),
      'sentiment-lambda classify: line 4: expected a JSON string or {"review": "..."}, got a number',
      'sentiment-lambda classify: line 5: expected a JSON string or {"review": "..."}, got an object without "review"',
      'sentiment-lambda classify: line 6: expected a JSON string or {"review": "..."}, got an object whose "review" is an array',
      'sentiment-lambda classify: line 8: the review is empty',
      'sentiment-lambda classify: line 9: the review is blank (only whitespace)',
      'sentiment-lambda classify: 6 bad lines skipped; 3 reviews classified',
      '',
    ]);
    expect(code).toBe(1);
  });

  it('reports a line that is not UTF-8', async () => {
    // Prepare
    const bytes = Buffer.concat([
      Buffer.from(`${JSON.stringify(good1)}\n"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"\n'),
    ]);

    // Act
    const { code, stdout, stderr } = await classify(bytes);

    // Assess
    expect(stdout).toBe(answersFor([good1]));
    expect(stderr).toContain('sentiment-lambda classify: line 2: not valid UTF-8 text\n');
    expect(code).toBe(1);
  });

  it('with --strict, stops at the first bad line after writing the results before it', async () => {
    // Act
    const { code, stdout, stderr } = await classify(input, { strict: true });

    // Assess
    expect(stdout).toBe(answersFor([good1]));
    expect(stderr).toMatch(/^sentiment-lambda classify: line 2: not valid JSON .*\n/);
    expect(stderr).toContain(
      'sentiment-lambda classify: stopped at the first bad line (--strict), after classifying 1 review\n',
    );
    expect(stderr).not.toContain('line 4');
    expect(code).toBe(1);
  });

  it('with --strict, writes every review before the bad line even when batches are out at the workers', async () => {
    // Prepare
    const reviews = REVIEWS.slice(0, 50);
    const text = `${jsonLines(reviews)}[]\n${jsonLines(reviews)}`;

    // Act
    const { code, stdout } = await classify(text, { strict: true, batchSize: 4, threads: 2 });

    // Assess
    expect(stdout).toBe(answersFor(reviews));
    expect(code).toBe(1);
  });

  it('names CSV rows without the column, empty reviews and a quote left open to the end', async () => {
    // Prepare
    const csv = `id,review\n1,${csvField(good1)}\n2\n3,\n4,${csvField(good2)}\n5,"never closed\n6,more\n`;

    // Act
    const { code, stdout, stderr } = await classify(csv);

    // Assess
    expect(stdout).toBe(answersFor([good1, good2]));
    expect(stderr.split('\n')).toEqual([
      'sentiment-lambda classify: line 3: the row has 1 field, so no "review" column',
      'sentiment-lambda classify: line 4: the review is empty',
      'sentiment-lambda classify: lines 6-7: a quoted field is not closed before the end of the input',
      'sentiment-lambda classify: 3 bad lines skipped; 2 reviews classified',
      '',
    ]);
    expect(code).toBe(1);
  });
});

describe('classify: the model, the vocabulary and the command line', () => {
  it('refuses a model and a vocabulary of different widths before reading any review, naming both', async () => {
    // Prepare
    const dir = tempDirWith({ 'small.json': JSON.stringify({ good: 0, bad: 1, film: 2 }) });
    const vocabulary = join(dir, 'small.json');

    // Act
    const { code, stdout, stderr } = await classify(jsonLines(['great']), { vocabularyFile: vocabulary });

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `sentiment-lambda classify: the model ${JSON.stringify(MODEL)} takes 5000 features, but the vocabulary ` +
        `${JSON.stringify(vocabulary)} has 3 words: give the vocabulary the model was trained with\n`,
    );
  });

  it.each([
    [
      { modelFile: '/nonexistent/model.ubj' },
      'model file "/nonexistent/model.ubj": cannot read the model: no such file or directory',
    ],
    [
      { vocabularyFile: '/nonexistent/v.json' },
      'cannot read vocabulary file "/nonexistent/v.json": no such file or directory',
    ],
    [
      { input: '/nonexistent/reviews.csv' },
      'cannot read the input "/nonexistent/reviews.csv": no such file or directory',
    ],
  ])('names a file it cannot read (%j), without a stack trace', async (options, message) => {
    // Act
    const { code, stderr } = await classify('', options);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe(`sentiment-lambda classify: ${message}\n`);
  });

  it.each([
    [['--vocabulary', VOCABULARY], 'missing --model FILE'],
    [['-m', MODEL, '-v', VOCABULARY, '--format', 'tsv'], 'unknown --format "tsv": use jsonl or csv'],
    [['-m', MODEL, '-v', VOCABULARY, '--threads', '0'], '--threads must be a whole number from 1 to 256, not 0'],
    [['-m', MODEL, '-v', VOCABULARY, 'a.jsonl', 'b.jsonl'], 'one INPUT at most, got "a.jsonl" "b.jsonl"'],
    [
      ['-m', MODEL, '-v', VOCABULARY, '--column', 'body'],
      '--column is for CSV input, and this input reads as JSON lines',
    ],
  ])('answers %j with a usage error (exit 2)', async (args, message) => {
    // Prepare
    const { io, stdout, stderr } = memoryIO('"great"\n');

    // Act
    const code = await runCli(['classify', ...args], io);

    // Assess
    expect(code).toBe(2);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain(`sentiment-lambda classify: ${message}`);
  });

  it('prints its help for --help and for `help classify`', async () => {
    // Prepare
    const first = memoryIO();
    const second = memoryIO();

    // Act
    const codes = [await runCli(['classify', '--help'], first.io), await runCli(['help', 'classify'], second.io)];

    // Assess
    expect(codes).toEqual([0, 0]);
    expect(first.stdout.text()).toBe(CLASSIFY_USAGE);
    expect(second.stdout.text()).toBe(CLASSIFY_USAGE);
  });
});

/** A stderr that says it is a terminal, as `process.stderr` does on one. */
class TerminalSink extends Sink {
  readonly isTTY = true;
  readonly columns = 120;
}

describe('classify: the progress bar', () => {
  it('draws done, rate and time left on a terminal once the run has lasted its delay', async () => {
    // Prepare
    const dir = tempDirWith({ 'reviews.jsonl': jsonLines(REVIEWS) });
    const { io, stdout } = memoryIO();
    const stderr = new TerminalSink();

    // Act
    const code = await runClassify(
      {
        modelFile: MODEL,
        vocabularyFile: VOCABULARY,
        input: join(dir, 'reviews.jsonl'),
        progress: true,
        progressDelayMs: 0,
        batchSize: 50,
        threads: 1,
      },
      { ...io, stderr },
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe(answersFor(REVIEWS));
    expect(stderr.text()).toMatch(/100% \| [\d,]+ done \| [\d,]+ reviews\/s \| 0s left/);
  });

  it('is not drawn when progress is off, even on a terminal', async () => {
    // Prepare
    const { io } = memoryIO(jsonLines(REVIEWS));
    const stderr = new TerminalSink();

    // Act
    const code = await runClassify(
      { modelFile: MODEL, vocabularyFile: VOCABULARY, progress: false, progressDelayMs: 0, batchSize: 50, threads: 1 },
      { ...io, stderr },
    );

    // Assess
    expect(code).toBe(0);
    expect(stderr.text()).toBe('');
  });

  it.each([
    ['a pipe or file', false, new Sink(), false, {}],
    ['a terminal', true, new TerminalSink(), false, {}],
    ['a terminal with --quiet', false, new TerminalSink(), true, {}],
    ['a terminal under CI', false, new TerminalSink(), false, { CI: 'true' }],
    ['a dumb terminal', false, new TerminalSink(), false, { TERM: 'dumb' }],
  ])('is wanted on %s: %s', (_name, wanted, stderr, quiet, env) => {
    // Act
    const wants = wantsProgressBar(stderr, quiet, env);

    // Assess
    expect(wants).toBe(wanted);
  });
});
