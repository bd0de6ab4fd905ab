/**
 * The CDK app as `npm run cdk -- synth` runs it (the real CLI, offline): a stack that cannot be built prints its
 * message alone, no stack trace around it, exits non-zero and writes no template.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../infra/artifact.ts';
import { createStubCodeDirectory } from './helpers.ts';

let stub: ReturnType<typeof createStubCodeDirectory>;
beforeAll(() => {
  stub = createStubCodeDirectory();
});
afterAll(() => {
  stub.cleanup();
});

const cdkCli = path.join(PACKAGE_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const env = {
  ...process.env,
  // `node infra/app.ts` needs Node 24 (type stripping): the one running this test.
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
  CDK_DEFAULT_ACCOUNT: '123456789012',
  CDK_DEFAULT_REGION: 'us-east-1',
  CDK_DISABLE_VERSION_CHECK: '1',
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CDK_DEBUG: '',
};

/** Runs `cdk synth` with `-c` values and extra CLI flags into a fresh output directory, removed afterwards. */
function synth(context: string[], flags: string[] = []) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'sentiment-cdk-out-'));
  try {
    const result = spawnSync(
      process.execPath,
      [
        cdkCli,
        'synth',
        '--app',
        'node infra/app.ts',
        ...context.flatMap((value) => ['-c', value]),
        '--no-notices',
        '--no-version-reporting',
        '--quiet',
        ...flags,
        '-o',
        outdir,
      ],
      { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 60_000 },
    );
    return { ...result, written: readdirSync(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A line of a Node stack trace, or Node's banner under an uncaught error. */
const STACK_TRACE = /^\s+at |^Node\.js v\d|file:\/\/|^\s+\^/m;

describe('cdk synth of a stack that cannot be built', () => {
  it.each([
    {
      name: 'no -c endpointName',
      context: [],
      message: /^\S.*-c endpointName=/,
    },
    {
      name: 'a malformed -c memorySize',
      context: ['endpointName=test-endpoint', 'memorySize=lots'],
      message: /^\S.*'memorySize'.*'lots'/,
    },
  ])('prints the message alone for $name, exits non-zero and writes no template', ({ context, message }) => {
    // Act
    const result = synth([...context, `codeDirectory=${stub.directory}`]);

    // Assess
    expect(result.status).not.toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines[0]).toMatch(message);
    expect(lines.slice(1).every((line) => /Subprocess exited with error 1$/.test(line))).toBe(true);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.written.filter((file) => file.endsWith('.template.json'))).toEqual([]);
  });

  it('prints the stack trace as well under cdk synth --debug', () => {
    // Act
    const result = synth([`codeDirectory=${stub.directory}`], ['--debug']);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/SentimentStack needs the name of the SageMaker endpoint/);
    expect(result.stderr).toMatch(/^\s+at .*sentiment-stack\.ts/m);
  });
});
