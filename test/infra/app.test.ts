/**
 * The CDK app as `npm run cdk -- synth` runs it (the real CLI, offline): a stack that cannot be built prints its
 * message alone, no stack trace around it, exits non-zero and writes no template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cdkSynth, createStubCodeDirectory } from './helpers.ts';

let stub: ReturnType<typeof createStubCodeDirectory>;
beforeAll(() => {
  stub = createStubCodeDirectory();
});
afterAll(() => {
  stub.cleanup();
});

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
    const result = cdkSynth([...context, `codeDirectory=${stub.directory}`]);

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
    const result = cdkSynth([`codeDirectory=${stub.directory}`], ['--debug']);

    // Assess
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/SentimentStack needs the name of the SageMaker endpoint/);
    expect(result.stderr).toMatch(/^\s+at .*sentiment-stack\.ts/m);
  });
});
