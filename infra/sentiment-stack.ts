/**
 * The deployable stack: one {@link SentimentApi}, configured from props or from CDK context (`-c key=value`).
 *
 * @module
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { SentimentApi, type SentimentApiProps } from './sentiment-api.ts';

/**
 * The CDK context keys the stack reads, each settable with `-c key=value` or in `cdk.json`'s `context`.
 * A prop given to {@link SentimentStack} wins over the context value of the same setting.
 */
export const CONTEXT_KEYS = {
  /** `SentimentApiProps.endpointName` (required). */
  endpointName: 'endpointName',
  /** `SentimentApiProps.vocabularySource`. */
  vocabularySource: 'vocabularySource',
  /** `SentimentApiProps.allowedOrigins`, comma-separated (`*` or `https://a.example,https://b.example`). */
  allowedOrigins: 'allowedOrigins',
  /** `SentimentApiProps.memorySize`, in MB. */
  memorySize: 'memorySize',
  /** `SentimentApiProps.timeout`, in whole seconds. */
  timeoutSeconds: 'timeoutSeconds',
  /** `SentimentApiProps.payloadFormat` (`csv` or `libsvm`). */
  payloadFormat: 'payloadFormat',
  /** `SentimentApiProps.throttlingRateLimit`, requests per second. */
  throttlingRateLimit: 'throttlingRateLimit',
  /** `SentimentApiProps.throttlingBurstLimit`. */
  throttlingBurstLimit: 'throttlingBurstLimit',
  /** `SentimentApiProps.webAclArn`. */
  webAclArn: 'webAclArn',
  /** A directory to deploy as the function code instead of `dist/lambda` (tests, custom builds). */
  codeDirectory: 'codeDirectory',
} as const;

/** Properties of {@link SentimentStack}. */
export interface SentimentStackProps extends StackProps {
  /**
   * Settings of the API; each one given here wins over its context value. `endpointName` must come from
   * here or from `-c endpointName=...`.
   *
   * @default - everything from context, the rest from the {@link SentimentApi} defaults
   */
  readonly sentiment?: Partial<SentimentApiProps>;
}

/**
 * The sentiment API stack. Configure it with props, or from the command line:
 *
 * ```sh
 * npx cdk deploy -c endpointName=sentiment-xgboost -c allowedOrigins=https://reviews.example
 * ```
 */
export class SentimentStack extends Stack {
  /** The API construct, for outputs and further wiring. */
  public readonly sentimentApi: SentimentApi;

  /**
   * @param scope - The app (or stage).
   * @param id - The stack id.
   * @param props - Stack properties and API settings.
   * @throws Error when `endpointName` is missing or a context value is malformed.
   */
  public constructor(scope: Construct, id: string, props: SentimentStackProps = {}) {
    super(scope, id, {
      description: 'Movie review sentiment API: API Gateway -> Lambda (Node.js 24) -> SageMaker XGBoost endpoint',
      ...props,
    });
    const merged = { ...apiPropsFromContext(this), ...definedOnly(props.sentiment ?? {}) };
    this.sentimentApi = new SentimentApi(this, 'Sentiment', requireEndpointName(merged));
  }
}

/** Reads {@link CONTEXT_KEYS} from the construct tree into API props. */
function apiPropsFromContext(scope: Construct): Partial<SentimentApiProps> {
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (typeof value !== 'string') {
      throw new Error(`Context value '${key}' must be a string or number, got ${JSON.stringify(value)}.`);
    }
    return value.trim();
  };
  const integer = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      throw new Error(
        `Context value '${key}' must be a whole number, got '${value}' (e.g. -c ${key}=${exampleOf(key)}).`,
      );
    }
    return Number(value);
  };
  const decimal = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    if (!/^\d+(\.\d+)?$/.test(value)) {
      throw new Error(`Context value '${key}' must be a number, got '${value}' (e.g. -c ${key}=${exampleOf(key)}).`);
    }
    return Number(value);
  };

  const origins = text(CONTEXT_KEYS.allowedOrigins);
  const timeoutSeconds = integer(CONTEXT_KEYS.timeoutSeconds);
  const codeDirectory = text(CONTEXT_KEYS.codeDirectory);
  return definedOnly<Partial<SentimentApiProps>>({
    endpointName: text(CONTEXT_KEYS.endpointName),
    vocabularySource: text(CONTEXT_KEYS.vocabularySource),
    allowedOrigins: origins?.split(',').map((origin) => origin.trim()),
    memorySize: integer(CONTEXT_KEYS.memorySize),
    timeout: timeoutSeconds === undefined ? undefined : Duration.seconds(timeoutSeconds),
    payloadFormat: text(CONTEXT_KEYS.payloadFormat) as SentimentApiProps['payloadFormat'],
    throttlingRateLimit: decimal(CONTEXT_KEYS.throttlingRateLimit),
    throttlingBurstLimit: integer(CONTEXT_KEYS.throttlingBurstLimit),
    webAclArn: text(CONTEXT_KEYS.webAclArn),
    code: codeDirectory === undefined ? undefined : lambda.Code.fromAsset(codeDirectory),
  });
}

/** Checks that the merged props name an endpoint, with the fix in the message. */
function requireEndpointName(props: Partial<SentimentApiProps>): SentimentApiProps {
  if (props.endpointName === undefined || props.endpointName === '') {
    throw new Error(
      'SentimentStack needs the name of the SageMaker endpoint to invoke: pass -c endpointName=<endpoint-name> ' +
        '(e.g. npx cdk deploy -c endpointName=sentiment-xgboost), or set sentiment.endpointName in the stack props.',
    );
  }
  return props as SentimentApiProps;
}

function exampleOf(key: string): string {
  const examples: Record<string, string> = {
    memorySize: '256',
    timeoutSeconds: '10',
    throttlingRateLimit: '10',
    throttlingBurstLimit: '20',
  };
  return examples[key] ?? '1';
}

/** Drops the keys whose value is `undefined`, so that spreading never overrides a value with nothing. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
