/**
 * The deployed function's configuration: every bad environment variable stops the cold start with an
 * error naming it, unset ones take their defaults, and `src/lambda.ts` exports a working handler.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import 'aws-sdk-client-mock-vitest/extend';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, handlerOptionsFromEnv } from '../../src/config.ts';
import { createHandler, type SageMakerHandlerOptions } from '../../src/pipeline.ts';
import { createSageMakerClient, sdkSettingsFromEnvironment } from '../../src/sagemaker/client.ts';
import { lambdaContext, restApiEvent } from '../../src/testing/events.ts';
import {
  headerOf,
  jsonRequest,
  modelReply,
  pageRequest,
  TINY_VOCABULARY,
  tempDir,
  tinyRow,
  usePipelineHarness,
} from '../helpers/pipeline.ts';

const BASE_ENV = { SAGEMAKER_ENDPOINT_NAME: 'imdb-xgboost' };

const { sageMaker, sentBody } = usePipelineHarness();

describe('handlerOptionsFromEnv', () => {
  it("leaves every unset variable to its option's default, but the bundled vocabulary file", () => {
    // Act
    const options = handlerOptionsFromEnv({ ...BASE_ENV, MAX_BATCH_SIZE: '  ' });

    // Assess
    expect(options).toEqual({
      endpointName: 'imdb-xgboost',
      vocabulary: { source: 'vocabulary.json', cacheExpiry: undefined },
      payloadFormat: undefined,
      corsOrigins: undefined,
      maxReviewChars: undefined,
      maxBatchSize: undefined,
      maxBodyBytes: undefined,
      timeoutEarlyInMillis: undefined,
      logReviewText: undefined,
    });
  });

  it('reads every variable when set', () => {
    // Prepare
    const env = {
      ...BASE_ENV,
      VOCABULARY_SOURCE: 's3://bucket/vocabulary.json',
      VOCABULARY_CACHE_EXPIRY_MS: '300000',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      PAYLOAD_FORMAT: 'LIBSVM',
      MAX_REVIEW_CHARS: '5000',
      MAX_BATCH_SIZE: '10',
      MAX_BODY_BYTES: '65536',
      TIMEOUT_EARLY_MS: '0',
      LOG_REVIEW_TEXT: 'true',
    };

    // Act
    const options = handlerOptionsFromEnv(env);

    // Assess
    expect(options).toEqual({
      endpointName: 'imdb-xgboost',
      vocabulary: { source: 's3://bucket/vocabulary.json', cacheExpiry: 300_000 },
      payloadFormat: 'libsvm',
      corsOrigins: ['https://a.example', 'https://b.example'],
      maxReviewChars: 5000,
      maxBatchSize: 10,
      maxBodyBytes: 65_536,
      timeoutEarlyInMillis: 0,
      logReviewText: true,
    });
  });

  it('reads process.env by default', () => {
    // Prepare
    vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', 'from-process-env');

    // Act
    const options = handlerOptionsFromEnv();

    // Assess
    expect(options.endpointName).toBe('from-process-env');
  });

  it.each([
    { variable: 'MAX_BATCH_SIZE', env: { ...BASE_ENV, MAX_BATCH_SIZE: 'ten' } },
    { variable: 'MAX_BATCH_SIZE', env: { ...BASE_ENV, MAX_BATCH_SIZE: '2.5' } },
    { variable: 'TIMEOUT_EARLY_MS', env: { ...BASE_ENV, TIMEOUT_EARLY_MS: '1e3' } },
    { variable: 'LOG_REVIEW_TEXT', env: { ...BASE_ENV, LOG_REVIEW_TEXT: 'yes' } },
  ])('refuses a $variable it cannot read, naming it ($env)', ({ variable, env }) => {
    // Act
    const read = () => handlerOptionsFromEnv(env);

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(new RegExp(`^${variable}\\b`));
  });

  it('gives options createHandler accepts, with defaults for the unset ones', async () => {
    // Prepare
    sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.9\n'));
    const options = handlerOptionsFromEnv({ ...BASE_ENV, MAX_BATCH_SIZE: '1' }) as SageMakerHandlerOptions;
    const handler = createHandler({
      ...options,
      vocabulary: { source: { ...TINY_VOCABULARY } },
      client: new SageMakerRuntimeClient({ region: 'us-east-1' }),
    });

    // Act
    const ok = await handler(restApiEvent({ body: 'good' }), lambdaContext());
    const tooMany = await handler(jsonRequest({ reviews: ['good', 'bad'] }), lambdaContext());

    // Assess
    expect(ok.statusCode).toBe(200);
    expect(headerOf(ok, 'Access-Control-Allow-Origin')).toBe('*');
    expect(tooMany.statusCode).toBe(413);
  });
});

describe('handlerOptionsFromEnv: the model in the function', () => {
  it('reads MODEL_SOURCE and MODEL_CACHE_EXPIRY_MS into the model options, and no endpoint', () => {
    // Act
    const options = handlerOptionsFromEnv({
      MODEL_SOURCE: 's3://models/output/model.tar.gz',
      MODEL_CACHE_EXPIRY_MS: '60000',
    });

    // Assess
    expect(options).toMatchObject({ model: { source: 's3://models/output/model.tar.gz', cacheExpiry: 60_000 } });
    expect(options).not.toHaveProperty('endpointName');
  });

  it('takes the model the artifact bundles when no variable names a backend, and an explicit MODEL_SOURCE over it', () => {
    // Act
    const bundled = handlerOptionsFromEnv({}, { model: 'model.packed' });
    const explicit = handlerOptionsFromEnv({ MODEL_SOURCE: 'other.ubj' }, { model: 'model.packed' });
    const endpoint = handlerOptionsFromEnv(BASE_ENV, { model: 'model.packed' });

    // Assess
    expect(bundled).toMatchObject({ model: { source: 'model.packed' } });
    expect(explicit).toMatchObject({ model: { source: 'other.ubj' } });
    expect(endpoint).toMatchObject({ endpointName: 'imdb-xgboost' });
    expect(endpoint).not.toHaveProperty('model');
  });

  it.each([
    ['both', { ...BASE_ENV, MODEL_SOURCE: 'model.ubj' }, /^Both SAGEMAKER_ENDPOINT_NAME and MODEL_SOURCE are set: /],
    ['neither', {}, /^Neither SAGEMAKER_ENDPOINT_NAME nor MODEL_SOURCE is set: /],
    [
      'neither (blank)',
      { SAGEMAKER_ENDPOINT_NAME: '  ', MODEL_SOURCE: '' },
      /^Neither SAGEMAKER_ENDPOINT_NAME nor MODEL_SOURCE/,
    ],
  ])('refuses %s of SAGEMAKER_ENDPOINT_NAME and MODEL_SOURCE, naming both', (_name, env, message) => {
    // Act
    const read = () => handlerOptionsFromEnv(env);

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(message);
  });
});

describe('src/lambda.ts', () => {
  it('exports a handler configured from the environment', async () => {
    // Prepare
    const temp = tempDir();
    try {
      const vocabularyPath = temp.write('vocabulary.json', JSON.stringify(TINY_VOCABULARY));
      vi.stubEnv('AWS_REGION', 'us-east-1');
      vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', 'imdb-xgboost');
      vi.stubEnv('VOCABULARY_SOURCE', vocabularyPath);
      vi.stubEnv('CORS_ORIGINS', 'https://page.example');
      sageMaker.on(InvokeEndpointCommand).resolves(modelReply('0.2\n'));
      vi.resetModules();
      const { handler } = await import('../../src/lambda.ts');
      const event = pageRequest('bad boring movie', { Origin: 'https://page.example' });

      // Act
      const response = await handler(event, lambdaContext());

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('0');
      expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe('https://page.example');
      expect(sageMaker).toHaveReceivedCommandWith(InvokeEndpointCommand, {
        EndpointName: 'imdb-xgboost',
        ContentType: 'text/csv',
      });
      expect(sentBody()).toBe(tinyRow({ bad: 1, boring: 1, movie: 1 }));
    } finally {
      temp.cleanup();
    }
  });

  it('exports a handler that scores with MODEL_SOURCE in the function, calling no endpoint', async () => {
    // Prepare
    vi.stubEnv(
      'MODEL_SOURCE',
      fileURLToPath(new URL('../fixtures/xgboost/binary-logistic/model.tar.gz', import.meta.url)),
    );
    const temp = tempDir();
    try {
      vi.stubEnv(
        'VOCABULARY_SOURCE',
        temp.write('vocabulary.json', JSON.stringify(['wonderful', 'moving', 'film', 'awful', 'boring', 'worst'])),
      );
      vi.resetModules();
      const { handler } = await import('../../src/lambda.ts');

      // Act
      const response = await handler(pageRequest('wonderful moving film'), lambdaContext());

      // Assess
      expect(response.statusCode).toBe(200);
      expect(['0', '1']).toContain(response.body);
      expect(sageMaker).toHaveReceivedCommandTimes(InvokeEndpointCommand, 0);
    } finally {
      temp.cleanup();
    }
  });

  it('fails the cold start with the variable name when the configuration is bad', async () => {
    // Prepare
    vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', '');
    vi.resetModules();

    // Act
    const load = import('../../src/lambda.ts');

    // Assess
    await expect(load).rejects.toThrow(/^Neither SAGEMAKER_ENDPOINT_NAME nor MODEL_SOURCE is set: /);
  });

  it.each([
    ['SAGEMAKER_ENDPOINT_NAME', 'bad_name!', "createHandler: Option 'endpointName'"],
    ['PAYLOAD_FORMAT', 'json', "createHandler: Option 'payloadFormat' must be one of"],
    ['MAX_BATCH_SIZE', '0', "reviewRequest: Option 'maxBatchSize' must be >= 1."],
    ['MAX_REVIEW_CHARS', '-3', "reviewRequest: Option 'maxReviewChars' must be >= 1."],
    ['MAX_BODY_BYTES', '0', "httpReviewBodyParser: Option 'maxBodyBytes' must be >= 1."],
    ['VOCABULARY_CACHE_EXPIRY_MS', '-2', "vocabularyMiddleware: Option 'cacheExpiry' must be >= -1."],
    ['VOCABULARY_CACHE_EXPIRY_MS', '172800000', "vocabularyMiddleware: Option 'cacheExpiry' must be <= 86400000."],
    ['VOCABULARY_SOURCE', 'ftp://host/vocabulary.json', "vocabularyMiddleware: Option 'source' \"ftp://"],
    [
      'VOCABULARY_SOURCE',
      's3://bucket-without-key',
      'vocabularyMiddleware: Option \'source\' "s3://bucket-without-key"',
    ],
    ['CORS_ORIGINS', 'https://a.example/path', "createHandler: Option 'corsOrigins[0]' must match pattern"],
    ['CORS_ORIGINS', 'good.example', "createHandler: Option 'corsOrigins[0]' must match pattern"],
    ['MODEL_SOURCE', 'ftp://host/model.json', "modelMiddleware: Option 'source' \"ftp://"],
    ['MODEL_CACHE_EXPIRY_MS', '-2', "modelMiddleware: Option 'cacheExpiry' must be >= -1."],
  ])('fails the cold start on %s=%s, naming the variable and what the option takes', async (variable, value, why) => {
    // Prepare: the model's variables with the model in the function, the others with an endpoint.
    vi.stubEnv('AWS_REGION', 'us-east-1');
    if (variable.startsWith('MODEL_')) vi.stubEnv('MODEL_SOURCE', 'model.ubj');
    else vi.stubEnv('SAGEMAKER_ENDPOINT_NAME', 'imdb-xgboost');
    vi.stubEnv(variable, value);
    vi.resetModules();

    // Act
    const error = await import('../../src/lambda.ts').then(
      () => undefined,
      (failure: Error) => failure,
    );

    // Assess: the module was loaded anew (vi.resetModules), so its class is not this file's ConfigurationError.
    expect(error?.name).toBe('ConfigurationError');
    expect(error?.message).toContain(`${variable}=${JSON.stringify(value)} is invalid: ${why}`);
  });
});

describe('createSageMakerClient', () => {
  it("takes the SDK's settings from the SDK's environment variables, with the SDK's defaults", async () => {
    // Prepare
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    vi.stubEnv('AWS_RETRY_MODE', 'adaptive');
    vi.stubEnv('AWS_SDK_UA_APP_ID', 'reviews-page');
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', undefined);

    // Act
    const { config } = createSageMakerClient();
    const defaults = sdkSettingsFromEnvironment({});

    // Assess
    expect(await config.useFipsEndpoint()).toBe(true);
    expect(await config.useDualstackEndpoint()).toBe(false);
    expect(await config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    expect(await config.userAgentAppId()).toBe('reviews-page');
    expect(await config.maxAttempts()).toBe(3);
    expect(defaults).toMatchObject({
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
      retryMode: 'standard',
      defaultsMode: 'legacy',
      authSchemePreference: [],
    });
  });

  it('parses the settings as the SDK does: a flag only for exactly "true", an empty list as none', async () => {
    // Prepare
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_USE_FIPS_ENDPOINT: 'TRUE',
      AWS_USE_DUALSTACK_ENDPOINT: ' true',
      AWS_AUTH_SCHEME_PREFERENCE: '',
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);

    // Act
    const ours = sdkSettingsFromEnvironment(env);
    const sdks = new SageMakerRuntimeClient({}).config;

    // Assess
    expect(ours).toMatchObject({ useFipsEndpoint: false, useDualstackEndpoint: false, authSchemePreference: [] });
    expect(await sdks.useFipsEndpoint()).toBe(false);
    expect(await sdks.useDualstackEndpoint()).toBe(false);
  });

  it('lets the caller override any setting', async () => {
    // Act
    const { config } = createSageMakerClient({ region: 'us-west-2', maxAttempts: 1, useFipsEndpoint: true });

    // Assess
    expect(await config.region()).toBe('us-west-2');
    expect(await config.maxAttempts()).toBe(1);
    expect(await config.useFipsEndpoint()).toBe(true);
  });
});
