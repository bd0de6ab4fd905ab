/**
 * `createSageMakerClient` reaches the endpoint the SDK would reach, from the SDK's own environment
 * variables, without reading the shared config files the SDK would also read (a function has none).
 */
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSageMakerClient, sdkSettingsFromEnvironment } from '../../src/sagemaker/client.ts';
import { tempDir } from '../helpers/pipeline.ts';

const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

interface SentRequest {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

/** A request handler that records where each request goes and answers a score. */
function recordingHandler() {
  const urls: string[] = [];
  const requestHandler = {
    handle: async (request: SentRequest) => {
      urls.push(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`);
      const body = Readable.from([Buffer.from('0.9')]);
      return { response: { statusCode: 200, headers: { 'content-type': 'text/csv' }, body } };
    },
  };
  return { urls, requestHandler };
}

/** Where one InvokeEndpoint call from `client` goes. */
async function urlOfOneCall(
  create: (handler: ReturnType<typeof recordingHandler>['requestHandler']) => SageMakerRuntimeClient,
) {
  const { urls, requestHandler } = recordingHandler();
  const client = create(requestHandler);
  await client.send(new InvokeEndpointCommand({ EndpointName: 'imdb-xgboost', Body: Buffer.from('1,0') }));
  return urls[0];
}

const ours = (requestHandler: object) =>
  createSageMakerClient({ region: REGION, credentials: CREDENTIALS, requestHandler });
const sdks = (requestHandler: object) =>
  new SageMakerRuntimeClient({ region: REGION, credentials: CREDENTIALS, requestHandler });

describe('createSageMakerClient endpoint', () => {
  let files: ReturnType<typeof tempDir>;

  beforeEach(() => {
    // No shared config files unless a test writes one.
    files = tempDir();
    vi.stubEnv('AWS_CONFIG_FILE', `${files.dir}/config`);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', `${files.dir}/credentials`);
    for (const name of [
      'AWS_ENDPOINT_URL',
      'AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME',
      'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
    ]) {
      vi.stubEnv(name, undefined);
    }
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    files.cleanup();
  });

  it.each([
    { case: 'nothing set: the regional endpoint', env: {} },
    { case: 'the service variable', env: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:8080' } },
    { case: 'the general variable', env: { AWS_ENDPOINT_URL: 'https://models.example' } },
    {
      case: 'both: the service variable wins',
      env: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:8080', AWS_ENDPOINT_URL: 'https://models.example' },
    },
    {
      case: 'an empty service variable: the general one',
      env: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: '', AWS_ENDPOINT_URL: 'https://models.example' },
    },
    {
      case: 'configured URLs ignored',
      env: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:8080', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
    },
    {
      case: 'an ignore flag that is not exactly "true"',
      env: { AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: 'http://127.0.0.1:8080', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'TRUE' },
    },
  ])('reaches the endpoint the SDK reaches from the same variables: $case', async ({ env }) => {
    // Prepare
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);

    // Act
    const ourUrl = await urlOfOneCall(ours);
    const sdkUrl = await urlOfOneCall(sdks);

    // Assess
    expect(ourUrl).toBe(sdkUrl);
    expect(ourUrl).toMatch(/\/endpoints\/imdb-xgboost\/invocations$/);
  });

  it('does not take the endpoint from a shared config file, which the SDK alone would read', async () => {
    // Prepare
    files.write('config', '[default]\nendpoint_url = https://from-config-file.example\n');

    // Act
    const ourUrl = await urlOfOneCall(ours);
    const sdkUrl = await urlOfOneCall(sdks);

    // Assess
    expect(sdkUrl).toBe('https://from-config-file.example/endpoints/imdb-xgboost/invocations');
    expect(ourUrl).toBe(`https://runtime.sagemaker.${REGION}.amazonaws.com/endpoints/imdb-xgboost/invocations`);
  });

  it('takes an endpoint given in code over the variables', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', 'http://127.0.0.1:8080');

    // Act
    const url = await urlOfOneCall((requestHandler) =>
      createSageMakerClient({
        region: REGION,
        credentials: CREDENTIALS,
        requestHandler,
        endpoint: 'https://vpce.example',
      }),
    );

    // Assess
    expect(url).toBe('https://vpce.example/endpoints/imdb-xgboost/invocations');
  });
});

describe('createSageMakerClient settings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('treats a setting passed as undefined (an unset variable passed through) as not given', async () => {
    // Prepare
    vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', 'http://127.0.0.1:8080');

    // Act
    const url = await urlOfOneCall((requestHandler) =>
      createSageMakerClient({ region: REGION, credentials: CREDENTIALS, requestHandler, endpoint: undefined }),
    );

    // Assess
    expect(url).toBe('http://127.0.0.1:8080/endpoints/imdb-xgboost/invocations');
  });
});

describe('sdkSettingsFromEnvironment', () => {
  it.each([
    ['true', true],
    ['TRUE', false],
    ['false', false],
    [undefined, false],
  ])('reads AWS_DISABLE_CLOCK_SKEW_CORRECTION=%s as the SDK does: on for exactly "true"', (value, expected) => {
    // Act
    const settings = sdkSettingsFromEnvironment({ AWS_DISABLE_CLOCK_SKEW_CORRECTION: value });

    // Assess
    expect(settings.disableClockSkewCorrection).toBe(expected);
  });

  it('always turns the config-file endpoint lookup off, having done it from the environment', () => {
    // Act
    const unset = sdkSettingsFromEnvironment({});
    const set = sdkSettingsFromEnvironment({ AWS_ENDPOINT_URL: 'https://models.example' });

    // Assess
    expect(unset).toMatchObject({ ignoreConfiguredEndpointUrls: true });
    expect(unset).not.toHaveProperty('endpoint');
    expect(set).toMatchObject({ ignoreConfiguredEndpointUrls: true, endpoint: 'https://models.example' });
  });
});

/**
 * What a client resolves for each setting sdkSettingsFromEnvironment provides, printed as JSON. Run in
 * a fresh process: the SDK reads some of these once per process (clock-skew correction), as a
 * function's process would, so one process cannot show it several environments.
 */
const RESOLVED_SETTINGS = `
const { SageMakerRuntimeClient } = await import('@aws-sdk/client-sagemaker-runtime');
const { sdkSettingsFromEnvironment } = await import(process.env.CLIENT_MODULE);
const base = { region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
async function resolved(client) {
  const value = async (name) => (typeof client.config[name] === 'function' ? await client.config[name]() : client.config[name]);
  return {
    useFipsEndpoint: await value('useFipsEndpoint'),
    useDualstackEndpoint: await value('useDualstackEndpoint'),
    retryMode: (await value('retryStrategy')).mode,
    maxAttempts: await value('maxAttempts'),
    defaultsMode: await value('defaultsMode'),
    authSchemePreference: await value('authSchemePreference'),
    userAgentAppId: await value('userAgentAppId') ?? null,
    disableClockSkewCorrection: (await value('disableClockSkewCorrection')) === true,
  };
}
const which = process.env.WHICH;
const client = new SageMakerRuntimeClient(which === 'ours' ? { ...base, ...sdkSettingsFromEnvironment() } : base);
process.stdout.write(JSON.stringify(await resolved(client)));
`;

describe('sdkSettingsFromEnvironment against the SDK it stands in for', () => {
  let files: ReturnType<typeof tempDir>;

  beforeEach(() => {
    files = tempDir();
  });

  afterEach(() => {
    files.cleanup();
  });

  /** The settings a fresh process resolves with only `env` set and no shared config files, as in a function. */
  function resolvedIn(which: 'ours' | 'sdks', env: Readonly<Record<string, string | undefined>>) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', RESOLVED_SETTINGS], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AWS_CONFIG_FILE: `${files.dir}/config`,
        AWS_SHARED_CREDENTIALS_FILE: `${files.dir}/credentials`,
        CLIENT_MODULE: new URL('../../src/sagemaker/client.ts', import.meta.url).href,
        WHICH: which,
        ...env,
      },
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout) as Record<string, unknown>;
  }

  it.each<{ case: string; env: Record<string, string> }>([
    { case: 'nothing set: the SDK defaults', env: {} },
    {
      case: 'every variable set',
      env: {
        AWS_USE_FIPS_ENDPOINT: 'true',
        AWS_USE_DUALSTACK_ENDPOINT: 'true',
        AWS_RETRY_MODE: 'adaptive',
        AWS_MAX_ATTEMPTS: '5',
        AWS_DEFAULTS_MODE: 'standard',
        AWS_AUTH_SCHEME_PREFERENCE: 'sigv4a, sigv4',
        AWS_SDK_UA_APP_ID: 'reviews-page',
        AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'true',
      },
    },
    {
      case: 'flags not exactly "true", an empty list',
      env: {
        AWS_USE_FIPS_ENDPOINT: 'TRUE',
        AWS_USE_DUALSTACK_ENDPOINT: 'false',
        AWS_AUTH_SCHEME_PREFERENCE: '',
        AWS_DISABLE_CLOCK_SKEW_CORRECTION: 'True',
      },
    },
  ])('resolves what the SDK resolves from the same variables: $case', ({ env }) => {
    // Act
    const ours = resolvedIn('ours', env);
    const sdks = resolvedIn('sdks', env);

    // Assess: an SDK upgrade that reads one of these differently, or changes a default, fails here.
    expect(ours).toEqual(sdks);
  });
});
