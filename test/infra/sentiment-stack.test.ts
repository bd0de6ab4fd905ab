import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACT } from '../../infra/artifact.ts';
import { SentimentStack } from '../../infra/sentiment-stack.ts';
import { type CdkSynthRun, cdkSynth, createArtifactDirectory, createStubCodeDirectory } from './helpers.ts';

let stub: ReturnType<typeof createStubCodeDirectory>;
beforeAll(() => {
  stub = createStubCodeDirectory();
});
afterAll(() => {
  stub.cleanup();
});

function stackFromContext(context: Record<string, unknown>): SentimentStack {
  const app = new App({ context: { codeDirectory: stub.directory, ...context } });
  return new SentimentStack(app, 'SentimentApi');
}

describe('SentimentStack configuration', () => {
  it('reads the API settings from -c context values', () => {
    // Prepare
    const context = {
      endpointName: 'Sentiment-XGBoost',
      vocabularySource: 's3://vocab-bucket/vocabulary.json',
      allowedOrigins: 'https://a.example, https://b.example',
      memorySize: '512',
      timeoutSeconds: '15',
      payloadFormat: 'libsvm',
      throttlingRateLimit: '5',
      throttlingBurstLimit: '10',
    };

    // Act
    const template = Template.fromStack(stackFromContext(context));

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 15,
      Environment: {
        Variables: {
          SAGEMAKER_ENDPOINT_NAME: 'Sentiment-XGBoost',
          VOCABULARY_SOURCE: 's3://vocab-bucket/vocabulary.json',
          CORS_ORIGINS: 'https://a.example,https://b.example',
          PAYLOAD_FORMAT: 'libsvm',
        },
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [{ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 }],
    });
  });

  it('accepts numbers from cdk.json context as well as strings from the command line', () => {
    // Prepare
    const context = { endpointName: 'sentiment', memorySize: 1024, timeoutSeconds: 20 };

    // Act
    const template = Template.fromStack(stackFromContext(context));

    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 20 });
  });

  it('lets stack props win over context values', () => {
    // Prepare
    const app = new App({ context: { endpointName: 'from-context', memorySize: '512' } });

    // Act
    const stack = new SentimentStack(app, 'SentimentApi', {
      sentiment: { endpointName: 'from-props', code: lambda.Code.fromAsset(stub.directory) },
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Environment: { Variables: { SAGEMAKER_ENDPOINT_NAME: 'from-props' } },
    });
  });

  it('tells which -c to pass, naming the three keys, when nothing says what to score with', () => {
    // Prepare
    const build = () => stackFromContext({});

    // Act & Assess
    expect(build).toThrow(
      /pass -c endpointName=<endpoint-name>, -c modelSource=s3:\/\/<bucket>\/<key> or -c modelFile=<path>/,
    );
    expect(build).toThrow(/npm run build -- --model FILE --vocabulary FILE/);
  });

  it('scores in the function with -c modelSource, its role reading that object and invoking no endpoint', () => {
    // Prepare
    const context = {
      modelSource: 's3://models-bucket/sentiment/model.tar.gz',
      vocabularySource: 's3://models-bucket/sentiment/vocabulary.json',
    };

    // Act
    const stack = stackFromContext(context);

    // Assess
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MODEL_SOURCE: context.modelSource, SAGEMAKER_ENDPOINT_NAME: Match.absent() } },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('sagemaker');
    expect(stack.templateOptions.description).toMatch(/scoring the XGBoost model in the function/);
    expect(stack.sentimentApi.scoring).toMatchObject({ kind: 'in-process', from: 'modelSource' });
  });

  it('ships the -c modelFile with the code', () => {
    // Act
    const stack = stackFromContext({ modelFile: 'package.json', vocabularySource: 'vocabulary.json' });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MODEL_SOURCE: 'model/package.json' } },
    });
  });

  it('serves the model of an artifact built with one, with no -c at all', () => {
    // Prepare
    const built = createArtifactDirectory({ demoVocabulary: false, model: { demo: false } });

    try {
      // Act
      const stack = stackFromContext({ codeDirectory: built.directory });

      // Assess
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { MODEL_SOURCE: LAMBDA_ARTIFACT.modelFile } },
      });
    } finally {
      built.cleanup();
    }
  });

  it('lets a way to score given in the props replace the one from context', () => {
    // Prepare
    const app = new App({ context: { endpointName: 'from-context', codeDirectory: stub.directory } });

    // Act
    const stack = new SentimentStack(app, 'SentimentApi', {
      sentiment: { modelSource: 's3://models-bucket/model.tar.gz', vocabularySource: 'vocabulary.json' },
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { MODEL_SOURCE: 's3://models-bucket/model.tar.gz', SAGEMAKER_ENDPOINT_NAME: Match.absent() },
      },
    });
  });

  it('refuses two ways to score from context, naming both', () => {
    // Prepare
    const build = () => stackFromContext({ endpointName: 'sentiment', modelSource: 's3://models-bucket/m.tar.gz' });

    // Act & Assess
    expect(build).toThrow(/endpointName and modelSource each choose what the function scores with/);
  });

  it.each([
    [
      'memorySize',
      'lots',
      /Context value 'memorySize' must be a whole number, got 'lots' \(e\.g\. -c memorySize=256\)/,
    ],
    ['timeoutSeconds', '10s', /Context value 'timeoutSeconds' must be a whole number/],
    ['throttlingRateLimit', 'fast', /Context value 'throttlingRateLimit' must be a number/],
    ['allowedOrigins', 'https://a.example/', /allowedOrigins entry 'https:\/\/a\.example\/'/],
    ['endpointName', 'my_endpoint', /endpointName 'my_endpoint'/],
  ])('rejects a malformed %s context value with a clear error', (key, value, message) => {
    // Prepare
    const build = () => stackFromContext({ endpointName: 'sentiment', [key]: value });

    // Act & Assess
    expect(build).toThrow(message);
  });

  it.each([
    ['the endpoint', { endpointName: 'sentiment', vocabularySource: 's3://vocab-bucket/v.json' }],
    ['a model in S3', { modelSource: 's3://models-bucket/m.tar.gz', vocabularySource: 's3://vocab-bucket/v.json' }],
    ['a model file', { modelFile: 'package.json', vocabularySource: 'vocabulary.json' }],
  ])('passes the AwsSolutions checks as the app runs them, with %s', (_case, context) => {
    // Prepare
    const stack = stackFromContext(context);

    // Act
    const report = new AwsSolutionsChecks(stack).validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
  });
});

describe('cdk synth (the real CLI, offline)', () => {
  const TEMPLATE = 'SentimentApi.template.json';
  /** The AwsSolutions findings the validation report of a run lists. */
  const violations = (run: CdkSynthRun) =>
    (run.json['validation-report.json'] as { pluginReports: { violations?: unknown[] }[] }).pluginReports.flatMap(
      (plugin) => plugin.violations ?? [],
    );

  it('writes the stack template, with cdk-nag passing and its acknowledgments recorded', () => {
    // Act
    const result = cdkSynth(['endpointName=test-endpoint', `codeDirectory=${stub.directory}`]);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    expect(result.written).toContain(TEMPLATE);
    const template = Template.fromJSON(result.json[TEMPLATE] as Record<string, unknown>);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { SAGEMAKER_ENDPOINT_NAME: 'test-endpoint' } },
    });
    template.hasResource('AWS::ApiGateway::Method', {
      Properties: { HttpMethod: 'POST' },
      Metadata: {
        cdk_nag: {
          rules_to_suppress: Match.arrayWith([
            Match.objectLike({ id: 'AwsSolutions-APIG4', reason: Match.stringLikeRegexp('by design') }),
            Match.objectLike({ id: 'AwsSolutions-COG4' }),
          ]),
        },
      },
    });
    expect(violations(result)).toEqual([]);
  });

  it('writes the in-process stack with a model in S3, cdk-nag passing', () => {
    // Act
    const result = cdkSynth([
      'modelSource=s3://models-bucket/sentiment/model.tar.gz',
      'vocabularySource=s3://models-bucket/sentiment/vocabulary.json',
      `codeDirectory=${stub.directory}`,
    ]);

    // Assess
    expect(result.status, result.stderr).toBe(0);
    const template = Template.fromJSON(result.json[TEMPLATE] as Record<string, unknown>);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { MODEL_SOURCE: 's3://models-bucket/sentiment/model.tar.gz' } },
    });
    expect(violations(result)).toEqual([]);
  });

  // Without -c endpointName (or a model), the run fails naming the -c to pass: test/infra/app.test.ts ('no -c
  // endpointName') asserts it, with the message alone on stderr and no template written.
});
