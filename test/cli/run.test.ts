import { describe, expect, it } from 'vitest';
import { runCli, USAGE, VOCABULARY_USAGE } from '../../src/cli/run.ts';
import { memoryIO, runMain } from './cli-test-helpers.ts';

describe('runCli (subcommand dispatch)', () => {
  it.each([[['--help']], [['-h']], [['help']]])('prints the overall help on stdout for %j', async (args) => {
    // Prepare
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await runCli(args, io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toBe(USAGE);
    expect(stderr.text()).toBe('');
  });

  it.each([
    [['help', 'encode'], 'Usage: sentiment-lambda encode --vocabulary FILE'],
    [['help', 'vocabulary', 'import'], 'Usage: sentiment-lambda vocabulary import FILE [--out OUT]'],
    [['vocabulary', '--help'], VOCABULARY_USAGE],
    [['vocabulary', 'import', '--help'], 'Converts a vocabulary into the canonical JSON'],
  ])('prints the help of a command for %j', async (args, expected) => {
    // Prepare
    const { io, stdout } = memoryIO();

    // Act
    const code = await runCli(args, io);

    // Assess
    expect(code).toBe(0);
    expect(stdout.text()).toContain(expected);
  });

  it.each([
    [[], 'sentiment-lambda: missing a command'],
    [['decode'], 'sentiment-lambda: unknown command "decode"'],
    [['vocabulary'], 'sentiment-lambda vocabulary: missing a subcommand'],
    [['vocabulary', 'export'], 'sentiment-lambda vocabulary: unknown subcommand "export"'],
  ])('answers %j with a usage error (exit 2) on stderr', async (args, message) => {
    // Prepare
    const { io, stdout, stderr } = memoryIO();

    // Act
    const code = await runCli(args, io);

    // Assess
    expect(code).toBe(2);
    expect(stdout.text()).toBe('');
    expect(stderr.text().startsWith(`${message}\n`)).toBe(true);
  });

  it('routes encode to the encoder, reading stdin', async () => {
    // Prepare: a vocabulary file that does not exist proves the arguments reached `encode`.
    const { io, stderr } = memoryIO('"great"\n');

    // Act
    const code = await runCli(['encode', '--vocabulary', '/nonexistent/vocabulary.json'], io);

    // Assess
    expect(code).toBe(1);
    expect(stderr.text()).toBe(
      'sentiment-lambda encode: cannot read vocabulary file "/nonexistent/vocabulary.json": no such file or directory\n',
    );
  });
});

describe('the entry file, src/cli/main.ts, spawned as `npm run encode` and the other scripts run it', () => {
  it('prints the help and exits 0', () => {
    // Act
    const result = runMain(['--help']);

    // Assess
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(USAGE);
  });

  it('exits 2 for an unknown command', () => {
    // Act
    const result = runMain(['serve']);

    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "serve"');
  });
});
