import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../src/testing/events.ts';
import { restApiEvent } from '../../src/testing/index.ts';
import { usePipelineHarness } from '../helpers/pipeline.ts';

const { newHandler, sentBody } = usePipelineHarness({ reply: '0.9\n' });

describe('createHandler: the vocabulary option', () => {
  it('takes a {word: index} vocabulary that holds the word "source" as a vocabulary, not as options', async () => {
    // Prepare: "source material" is common in reviews; an option told apart by a `source` key would take
    // this vocabulary for middleware options.
    const handler = newHandler({ vocabulary: { source: { film: 0, material: 1, source: 2 } } });

    // Act
    const response = await handler(restApiEvent({ body: 'Great source material, dull film.' }), lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(sentBody()).toBe('1,1,1');
  });

  it('refuses a bare {word: index} object at creation, with what to write instead', () => {
    // Act
    const create = () => newHandler({ vocabulary: { good: 0, bad: 1 } as never });

    // Assess
    expect(create).toThrow(new TypeError("createHandler: Missing required option 'vocabulary.source'."));
  });

  it('refuses a vocabulary whose source is not one, at creation', () => {
    // Act: a {word: index} object whose "source" word is a column number, given where options belong.
    const create = () => newHandler({ vocabulary: { source: 3, material: 1 } as never });

    // Assess
    expect(create).toThrow(/^vocabularyMiddleware: Option 'source' must be a file path, .*; got 3\.$/);
  });
});

describe('createHandler: options are checked when the handler is created', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a misspelt option', { corsOrigin: ['https://a.example'] }, "createHandler: Unknown option 'corsOrigin'."],
    ['an unknown payload format', { payloadFormat: 'json' }, "createHandler: Option 'payloadFormat' must be one of"],
    [
      'a negative timeout margin',
      { timeoutEarlyInMillis: -1 },
      "createHandler: Option 'timeoutEarlyInMillis' must be >= 0.",
    ],
    ['origins that are not a list', { corsOrigins: '*' }, "createHandler: Option 'corsOrigins' must be array."],
    // The CDK construct refuses the same lists (src/http/origins.ts): what it deploys, the handler runs.
    ['no origins', { corsOrigins: [] }, "createHandler: Option 'corsOrigins' must not be empty"],
    [
      "'*' mixed with origins",
      { corsOrigins: ['*', 'https://a.example'] },
      "createHandler: Option 'corsOrigins' mixes '*' with other origins",
    ],
    ['a host no browser sends', { corsOrigins: ['https://a_b.example'] }, "Option 'corsOrigins[0]' must match pattern"],
    [
      'an endpoint name SageMaker refuses',
      { endpointName: 'my_endpoint' },
      'createHandler: Option \'endpointName\' "my_endpoint"',
    ],
    ['a batch size of 0', { maxBatchSize: 0 }, "reviewRequest: Option 'maxBatchSize' must be >= 1."],
    [
      'options that are no object',
      { vocabulary: 'vocabulary.json' },
      "createHandler: Option 'vocabulary' must be object.",
    ],
  ])('refuses %s, naming it', (_case, options, message) => {
    // Act
    const create = () => newHandler(options as never);

    // Assess
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});
