/**
 * What the deployed function scores with: a SageMaker endpoint, or the XGBoost model in the function (the
 * model the artifact bundles, a model file shipped with the code, or an S3 object), and the props that
 * choose it. What a deployer relies on: the environment names one shape only, the role grants that shape's
 * access only, a conflicting or missing choice fails synth naming the props, and a model of their own is
 * never paired silently with the demo vocabulary.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACT } from '../../infra/artifact.ts';
import type { SentimentApiProps } from '../../infra/sentiment-api.ts';
import { LAMBDA_UNZIPPED_CODE_LIMIT_BYTES } from '../../infra/sentiment-api-validation.ts';
import { ENVIRONMENT_VARIABLES } from '../../src/config.ts';
import {
  acknowledgmentsIn,
  buildModelStack,
  createArtifactDirectory,
  onlyResource,
  roleStatements,
  type StubArtifact,
} from './helpers.ts';

type Json = Record<string, unknown>;

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** An artifact directory laid out as `npm run build` writes it, removed after the test. */
function artifact(stub: StubArtifact): string {
  const created = createArtifactDirectory(stub);
  cleanups.push(created.cleanup);
  return created.directory;
}

/** A local model file (any bytes: the construct ships it without reading it), removed after the test. */
function modelFileWith(bytes: string, name = 'xgboost-model.tar.gz'): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'sentiment-model-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const file = path.join(directory, name);
  writeFileSync(file, bytes);
  return file;
}

const USER_ARTIFACT: StubArtifact = { demoVocabulary: false };
const S3_MODEL = 's3://models.example-bucket/sentiment/output/model.tar.gz';

function functionOf(template: Template): Json {
  return onlyResource(template, 'AWS::Lambda::Function').Properties as Json;
}

function variablesOf(template: Template): Json {
  return (functionOf(template).Environment as { Variables: Json }).Variables;
}

/** The files of the function's code asset, as staged in the cloud assembly. */
function functionAssetFiles(app: App, stack: Stack, template: Template): { directory: string; files: string[] } {
  const key = (functionOf(template).Code as { S3Key: string }).S3Key;
  const assembly = app.synth();
  const assets = JSON.parse(readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const [asset] = Object.values(assets.files).filter((file) =>
    Object.values(file.destinations).some((destination) => destination.objectKey === key),
  );
  const directory = path.join(assembly.directory, asset?.source.path as string);
  return { directory, files: readdirSync(directory, { recursive: true, encoding: 'utf8' }).sort() };
}

describe('SentimentApi scoring in the function', () => {
  it('reads the model from S3: MODEL_SOURCE, and s3:GetObject on that one object, no SageMaker anywhere', () => {
    // Prepare
    const { stack } = buildModelStack({ modelSource: S3_MODEL, artifactDirectory: artifact(USER_ARTIFACT) });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const variables = variablesOf(template);
    expect(variables.MODEL_SOURCE).toBe(S3_MODEL);
    expect(variables).not.toHaveProperty('SAGEMAKER_ENDPOINT_NAME');
    expect(roleStatements(template)).toEqual([
      {
        Sid: 'ReadTheModel',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models.example-bucket/sentiment/output/model.tar.gz'],
          ],
        },
      },
      expect.objectContaining({ Sid: 'WriteOwnLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
    ]);
    expect(JSON.stringify(template.toJSON()).toLowerCase()).not.toMatch(/sagemaker|sentiment-xgboost/);
  });

  it('serves the model the artifact bundles with no model prop, and grants nothing but its logs', () => {
    // Prepare
    const directory = artifact({ demoVocabulary: false, model: { demo: false } });
    const { app, stack } = buildModelStack({ artifactDirectory: directory });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(variablesOf(template).MODEL_SOURCE).toBe(LAMBDA_ARTIFACT.modelFile);
    expect(roleStatements(template).map((statement) => statement.Sid)).toEqual(['WriteOwnLogs']);
    expect(functionAssetFiles(app, stack, template).files).toContain(LAMBDA_ARTIFACT.modelFile);
  });

  it('ships a local model file with the code and points MODEL_SOURCE at it', () => {
    // Prepare
    const file = modelFileWith('a training job model.tar.gz', 'model.tar.gz');
    const directory = artifact({ demoVocabulary: false });
    const { app, stack } = buildModelStack({ modelFile: file, artifactDirectory: directory });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    const asset = functionAssetFiles(app, stack, template);
    expect(variablesOf(template).MODEL_SOURCE).toBe('model/model.tar.gz');
    expect(asset.files).toEqual(
      [
        LAMBDA_ARTIFACT.entryFile,
        LAMBDA_ARTIFACT.manifestFile,
        'model',
        'model/model.tar.gz',
        'vocabulary.json',
      ].sort(),
    );
    expect(readFileSync(path.join(asset.directory, 'model/model.tar.gz'), 'utf8')).toBe('a training job model.tar.gz');
    expect(roleStatements(template).map((statement) => statement.Sid)).toEqual(['WriteOwnLogs']);
  });

  it('redeploys when the model file changes, and leaves out the demo model it replaces', () => {
    // Prepare
    const directory = artifact({ demoVocabulary: false, model: { demo: true } });
    const synth = (bytes: string) => {
      const { app, stack } = buildModelStack({
        modelFile: modelFileWith(bytes),
        artifactDirectory: directory,
        vocabularySource: 'vocabulary.json',
      });
      const template = Template.fromStack(stack);
      return {
        key: (functionOf(template).Code as { S3Key: string }).S3Key,
        ...functionAssetFiles(app, stack, template),
      };
    };

    // Act
    const first = synth('model, version 1');
    const second = synth('model, version 2');

    // Assess
    expect(second.key).not.toBe(first.key);
    expect(first.files).not.toContain(LAMBDA_ARTIFACT.modelFile);
  });

  it.each<[string, Partial<SentimentApiProps>, RegExp]>([
    ['a relative model path', { modelSource: 'models/sentiment.json' }, /^models\/sentiment\.json$/],
    ['the bundled model by name', { modelSource: LAMBDA_ARTIFACT.modelFile }, /^model\.packed$/],
  ])('takes %s in the function root as MODEL_SOURCE, with no S3 grant', (_case, props, source) => {
    // Prepare
    const { stack } = buildModelStack({ ...props, artifactDirectory: artifact(USER_ARTIFACT) });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(variablesOf(template).MODEL_SOURCE).toMatch(source);
    expect(roleStatements(template).map((statement) => statement.Sid)).toEqual(['WriteOwnLogs']);
  });

  it('sets only variables the handler (src/config.ts), Powertools or Node read, in every shape', () => {
    // Prepare
    const known = new Set([
      ...Object.keys(ENVIRONMENT_VARIABLES),
      'POWERTOOLS_SERVICE_NAME',
      'POWERTOOLS_LOG_LEVEL',
      'POWERTOOLS_METRICS_NAMESPACE',
      'NODE_OPTIONS',
    ]);
    const shapes: Partial<SentimentApiProps>[] = [
      { endpointName: 'sentiment-xgboost', code: lambda.Code.fromInline('x'), enableSourceMaps: true },
      { modelSource: S3_MODEL, artifactDirectory: artifact(USER_ARTIFACT), maxBatchSize: 5, maxReviewChars: 9 },
    ];

    // Act
    const names = shapes.flatMap((props) => Object.keys(variablesOf(Template.fromStack(buildModelStack(props).stack))));

    // Assess
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['SAGEMAKER_ENDPOINT_NAME', 'MODEL_SOURCE', 'NODE_OPTIONS']));
  });
});

describe('SentimentApi choice of what to score with', () => {
  it.each<[string, Partial<SentimentApiProps>, RegExp]>([
    [
      'an endpoint and a model source',
      { endpointName: 'sentiment-xgboost', modelSource: S3_MODEL },
      /endpointName and modelSource each choose what the function scores with: give one of/,
    ],
    [
      'a model file and a model source',
      { modelFile: 'package.json', modelSource: S3_MODEL },
      /modelFile and modelSource each choose/,
    ],
    [
      'nothing, with code the construct cannot look into',
      { code: lambda.Code.fromInline('x') },
      /no model to score with: give endpointName .*, modelSource .* or modelFile .*cannot look into the code prop/,
    ],
    [
      'a model file with code the construct cannot add it to',
      { modelFile: 'package.json', code: lambda.Code.fromInline('x') },
      /modelFile is shipped inside the artifact, which the code prop hides/,
    ],
    ['a missing model file', { modelFile: 'no/such/model.json' }, /modelFile 'no\/such\/model\.json' is not a file/],
    ['an empty model source', { modelSource: '' }, /modelSource must not be empty/],
    ['a model key with a wildcard', { modelSource: 's3://models/output/*' }, /modelSource .* without \* or \?/],
    ['an https model URL', { modelSource: 'https://example.com/m.json' }, /modelSource 'https:.*' must be a path/],
    ['an absolute model path', { modelSource: '/opt/model.json' }, /modelSource '\/opt\/model\.json' must be a path/],
    [
      'code and an artifact directory',
      { endpointName: 'e', code: lambda.Code.fromInline('x'), artifactDirectory: 'dist/lambda' },
      /code and artifactDirectory both give the function code/,
    ],
    [
      'an artifact directory without an artifact',
      { endpointName: 'e', artifactDirectory: 'no/such/dir' },
      /artifactDirectory 'no\/such\/dir' holds no built artifact .*npm run build -- --outdir no\/such\/dir/,
    ],
  ])('refuses %s, naming the props', (_case, props, message) => {
    // Act
    const synth = () => buildModelStack(props);

    // Assess
    expect(synth).toThrow(message);
  });

  it("refuses a model file over Lambda's 250 MB of unzipped code, naming its size", () => {
    // Prepare: a sparse file a megabyte over the limit, which takes no disk space
    const file = modelFileWith('');
    truncateSync(file, LAMBDA_UNZIPPED_CODE_LIMIT_BYTES + 2 ** 20);

    // Act
    const synth = () => buildModelStack({ modelFile: file, artifactDirectory: artifact(USER_ARTIFACT) });

    // Assess
    expect(LAMBDA_UNZIPPED_CODE_LIMIT_BYTES).toBe(250 * 2 ** 20);
    expect(synth).toThrow(/modelFile '.*' is 251 MB: more than a function can hold \(Lambda takes 250 MB unzipped/);
  });

  it.each<[string, Partial<SentimentApiProps>]>([
    ['an endpoint', { endpointName: 'sentiment-xgboost' }],
    ['a model source', { modelSource: S3_MODEL }],
    ['a model file', { modelFile: 'package.json' }],
  ])('refuses %s beside a model of your own bundled in the artifact, which it would leave unused', (_case, props) => {
    // Prepare
    const directory = artifact({ demoVocabulary: false, model: { demo: false } });

    // Act
    const synth = () => buildModelStack({ ...props, artifactDirectory: directory });

    // Assess
    expect(synth).toThrow(
      /the artifact bundles a model of your own \(models\/xgboost-model: .*\), which \w+ would leave unused/,
    );
  });

  it('lets an endpoint override the demo model a build without flags bundles, and warns of the demo vocabulary', () => {
    // Prepare
    const directory = artifact({ demoVocabulary: true, model: { demo: true } });

    // Act
    const { stack } = buildModelStack({ endpointName: 'sentiment-xgboost', artifactDirectory: directory });

    // Assess
    const template = Template.fromStack(stack);
    expect(variablesOf(template)).toMatchObject({ SAGEMAKER_ENDPOINT_NAME: 'sentiment-xgboost' });
    expect(variablesOf(template)).not.toHaveProperty('MODEL_SOURCE');
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('DEMO vocabulary'));
    expect(warnings.map((warning) => warning.id)).toEqual(['/TestStack/Sentiment']);
    expect(JSON.stringify(warnings[0]?.entry.data)).toMatch(/right only if the endpoint serves the demo model/);
  });
});

describe('SentimentApi and the demo vocabulary', () => {
  const DEMO_MODEL_BYTES = 'the demo model';
  const demoArtifact = (): string => artifact({ demoVocabulary: true, model: { demo: true, bytes: DEMO_MODEL_BYTES } });

  it.each<[string, () => Partial<SentimentApiProps>]>([
    ['a model in S3', () => ({ modelSource: S3_MODEL, artifactDirectory: demoArtifact() })],
    ['a model file of your own', () => ({ modelFile: modelFileWith('my model'), artifactDirectory: demoArtifact() })],
    [
      'a model of your own bundled beside it',
      () => ({ artifactDirectory: artifact({ demoVocabulary: true, model: { demo: false } }) }),
    ],
    [
      'a model in S3, the artifact bundling no model',
      () => ({ modelSource: S3_MODEL, artifactDirectory: artifact({ demoVocabulary: true }) }),
    ],
  ])('refuses to score %s with it, saying how to fix it', (_case, props) => {
    // Act
    const synth = () => buildModelStack(props());

    // Assess
    expect(synth).toThrow(/with the DEMO vocabulary the artifact bundles \(default-model\/vocabulary\.json\)/);
    expect(synth).toThrow(/npm run build -- --vocabulary FILE.*or set vocabularySource/);
  });

  it('accepts the same model with the vocabulary given as vocabularySource', () => {
    // Prepare
    const props = {
      modelSource: S3_MODEL,
      vocabularySource: 's3://models.example-bucket/sentiment/vocabulary.json',
      artifactDirectory: demoArtifact(),
    };

    // Act
    const { stack } = buildModelStack(props);

    // Assess
    expect(variablesOf(Template.fromStack(stack)).VOCABULARY_SOURCE).toBe(props.vocabularySource);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it.each<[string, () => Partial<SentimentApiProps>]>([
    ['the bundled demo model', () => ({ artifactDirectory: demoArtifact() })],
    [
      'a model file with the demo model bytes',
      () => ({ modelFile: modelFileWith(DEMO_MODEL_BYTES), artifactDirectory: demoArtifact() }),
    ],
  ])('deploys %s with it, with a warning that it is the demo', (_case, props) => {
    // Act
    const { stack } = buildModelStack(props());

    // Assess
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0]?.entry.data)).toMatch(/scores with the DEMO model and vocabulary/);
  });

  it('warns nothing for an endpoint given its vocabulary', () => {
    // Act
    const { stack } = buildModelStack({
      endpointName: 'sentiment-xgboost',
      vocabularySource: 's3://vocab-bucket/vocabulary.json',
      artifactDirectory: demoArtifact(),
    });

    // Assess
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('SentimentApi and cdk-nag AwsSolutions, in every shape', () => {
  it.each<[string, () => Partial<SentimentApiProps>]>([
    ['the endpoint', () => ({ endpointName: 'sentiment-xgboost', artifactDirectory: artifact(USER_ARTIFACT) })],
    ['a model in S3', () => ({ modelSource: S3_MODEL, artifactDirectory: artifact(USER_ARTIFACT) })],
    ['the bundled model', () => ({ artifactDirectory: artifact({ demoVocabulary: false, model: { demo: false } }) })],
    [
      'a model file',
      () => ({ modelFile: modelFileWith('model'), artifactDirectory: artifact(USER_ARTIFACT), tracing: true }),
    ],
  ])('has no finding with %s, and acknowledges only the API design rules', (_case, shape) => {
    // Prepare
    const props = shape();
    const { app, stack } = buildModelStack(props);

    // Act
    const report = new AwsSolutionsChecks(app).validateScope(stack);

    // Assess
    expect(report.violations).toEqual([]);
    const acknowledged = new Set(acknowledgmentsIn(stack).map((a) => a.id));
    expect([...acknowledged].sort()).toEqual(
      [
        'AwsSolutions-APIG2',
        'AwsSolutions-APIG3',
        'AwsSolutions-APIG4',
        'AwsSolutions-APIG6',
        'AwsSolutions-COG4',
        ...(props.tracing === true ? ['AwsSolutions-IAM5[Resource::*]'] : []),
      ].sort(),
    );
  });
});

describe('artifact.json', () => {
  it('is refused with the fix when it is not what the build writes', () => {
    // Prepare
    const directory = artifact(USER_ARTIFACT);
    writeFileSync(path.join(directory, LAMBDA_ARTIFACT.manifestFile), '{"vocabulary": {}}');

    // Act
    const synth = () => buildModelStack({ endpointName: 'e', artifactDirectory: directory });

    // Assess
    expect(synth).toThrow(/artifact\.json is not the manifest `npm run build` writes: build the artifact again/);
  });

  it('may be absent: nothing is known of the vocabulary, so nothing is warned', () => {
    // Prepare
    const directory = artifact({ demoVocabulary: true, noManifest: true });

    // Act
    const { stack } = buildModelStack({ endpointName: 'e', artifactDirectory: directory });

    // Assess
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});
