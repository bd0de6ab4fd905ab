/**
 * The one SageMaker Runtime client a function uses, created at init and reused by every invocation
 * (the SDK keeps HTTPS connections alive between calls, so warm requests skip the TLS handshake).
 */
import { SageMakerRuntimeClient, type SageMakerRuntimeClientConfig } from '@aws-sdk/client-sagemaker-runtime';
import { resolveOptions } from '../options.ts';
import { collectResponseBody } from './response-body.ts';

/**
 * Defaults for the client: bounded connect time so a dead endpoint fails fast; standard retries; a
 * response-body reader that does not load WebStreams ({@link collectResponseBody}).
 */
export const sageMakerClientDefaults: SageMakerRuntimeClientConfig = {
  requestHandler: { connectionTimeout: 2_000 },
  streamCollector: collectResponseBody,
};

/**
 * The SDK settings that it would otherwise look up in the shared config files (`~/.aws/config`) on
 * the first request, read from the environment variables the SDK itself reads instead, with the
 * SDK's own defaults. A Lambda function has no shared config files: the lookups find nothing, and
 * they lengthen every cold start (docs/cold-start.md has the A/B figure, and names the tests that fail
 * when the SDK reads these settings differently). Set these variables as usual; a profile in a config
 * file is not consulted for them.
 *
 * The endpoint URL is the SDK's too: `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`, else `AWS_ENDPOINT_URL`,
 * unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`; the `endpoint_url` of a config file is not.
 */
export function sdkSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): SageMakerRuntimeClientConfig {
  // Parsed as the SDK parses them: a flag is on only for exactly "true"; an empty list is no list.
  const preference = env.AWS_AUTH_SCHEME_PREFERENCE;
  const configuredEndpoint =
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true'
      ? undefined
      : env.AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME || env.AWS_ENDPOINT_URL || undefined;
  return {
    useFipsEndpoint: env.AWS_USE_FIPS_ENDPOINT === 'true',
    useDualstackEndpoint: env.AWS_USE_DUALSTACK_ENDPOINT === 'true',
    retryMode: env.AWS_RETRY_MODE ?? 'standard',
    maxAttempts: maxAttemptsFrom(env.AWS_MAX_ATTEMPTS),
    defaultsMode: (env.AWS_DEFAULTS_MODE as SageMakerRuntimeClientConfig['defaultsMode']) ?? 'legacy',
    authSchemePreference: preference ? preference.split(',').map((scheme) => scheme.trim()) : [],
    userAgentAppId: async () => env.AWS_SDK_UA_APP_ID,
    disableClockSkewCorrection: env.AWS_DISABLE_CLOCK_SKEW_CORRECTION === 'true',
    // The SDK's configured-endpoint lookup, done here: it would read the config files for the
    // `ignore_configured_endpoint_urls` and `endpoint_url` settings. An empty variable is no URL.
    ignoreConfiguredEndpointUrls: true,
    ...(configuredEndpoint === undefined ? {} : { endpoint: configuredEndpoint }),
  };
}

/** `AWS_MAX_ATTEMPTS` as the SDK reads it (its leading integer), else the SDK's default, 3. */
function maxAttemptsFrom(value: string | undefined): number {
  if (!value) return 3;
  const attempts = Number.parseInt(value, 10);
  if (Number.isNaN(attempts)) throw new TypeError(`AWS_MAX_ATTEMPTS must be a number, got ${JSON.stringify(value)}.`);
  return attempts;
}

/**
 * Creates the client. The endpoint comes from `config.endpoint`, or from `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`
 * / `AWS_ENDPOINT_URL`, which is how the offline stack's local endpoint is reached without code changes.
 * Settings are, by precedence: `config`; this package's defaults (a 2 s connect timeout, and a reader of
 * response bodies that loads no WebStreams); the SDK's settings read from the SDK's own environment variables
 * (`AWS_REGION`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`..., never `~/.aws/config`, which a function does not
 * have and whose lookup slows its cold start), when the client is created rather than at its first request.
 * A setting given as `undefined` (say `endpoint: process.env.UNSET`) takes the next one, as if it were not given.
 *
 * @example
 * ```ts
 * import { createSageMakerClient } from 'sentiment-lambda';
 * // Once, at init: every invocation reuses its connections.
 * const client = createSageMakerClient({ region: 'eu-west-1' });
 * ```
 */
export function createSageMakerClient(config: SageMakerRuntimeClientConfig = {}): SageMakerRuntimeClient {
  // The SDK checks its own configuration: this only takes the defaults for what is not given.
  const defaults = { ...sdkSettingsFromEnvironment(), ...sageMakerClientDefaults };
  return new SageMakerRuntimeClient(
    resolveOptions('createSageMakerClient', { type: 'object', additionalProperties: true }, defaults, config),
  );
}
