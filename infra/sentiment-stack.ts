/**
 * The deployable stack: one {@link SentimentApi}, configured from props or from CDK context (`-c key=value`).
 *
 * @module
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readArtifactManifest } from './artifact.ts';
import { artifactDirectoryPath } from './function-code.ts';
import { SentimentApi, type SentimentApiProps } from './sentiment-api.ts';
import { SCORING_PROPS } from './sentiment-api-validation.ts';

/**
 * The CDK context keys the stack reads, each settable with `-c key=value` or in `cdk.json`'s `context`.
 * A prop given to {@link SentimentStack} wins over the context value of the same setting; `endpointName`,
 * `modelSource` and `modelFile` are one setting (what the function scores with), of which one is given.
 */
export const CONTEXT_KEYS = {
  /** `SentimentApiProps.endpointName`: score with this SageMaker endpoint. */
  endpointName: 'endpointName',
  /** `SentimentApiProps.modelSource`: score in the function with the model at `s3://bucket/key`. */
  modelSource: 'modelSource',
  /** `SentimentApiProps.modelFile`: score in the function with this local model file, shipped with the code. */
  modelFile: 'modelFile',
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
  /**
   * `SentimentApiProps.artifactDirectory`: a built artifact to deploy instead of `dist/lambda`
   * (`npm run build -- --outdir DIR`; tests, custom builds).
   */
  codeDirectory: 'codeDirectory',
} as const;

/** Properties of {@link SentimentStack}. */
export interface SentimentStackProps extends StackProps {
  /**
   * Settings of the API; each one given here wins over its context value. What the function scores with
   * (`endpointName`, `modelSource` or `modelFile`) comes from here, from context, or from the model the
   * artifact bundles.
   *
   * @default - everything from context, the rest from the {@link SentimentApi} defaults
   */
  readonly sentiment?: Partial<SentimentApiProps>;
}

/**
 * The sentiment API stack. Configure it with props, or from the command line:
 *
 * ```sh
 * npm run cdk -- deploy -c endpointName=sentiment-xgboost -c allowedOrigins=https://reviews.example
 * npm run cdk -- deploy -c modelSource=s3://models.example/sentiment/output/model.tar.gz -c vocabularySource=s3://...
 * npm run cdk -- deploy -c modelFile=path/to/xgboost-model -c vocabularySource=...
 * npm run build -- --model FILE --vocabulary FILE && npm run cdk -- deploy
 * ```
 */
export class SentimentStack extends Stack {
  /** The API construct, for outputs and further wiring. */
  public readonly sentimentApi: SentimentApi;

  /**
   * @param scope - The app (or stage).
   * @param id - The stack id.
   * @param props - Stack properties and API settings.
   * @throws Error when nothing says what to score with, or a context value is malformed.
   */
  public constructor(scope: Construct, id: string, props: SentimentStackProps = {}) {
    super(scope, id, props);
    const given = definedOnly(props.sentiment ?? {});
    const fromContext = apiPropsFromContext(this);
    // The three ways to score are one setting: one given in the props replaces any of them from context.
    if (SCORING_PROPS.some((prop) => given[prop] !== undefined)) {
      for (const prop of SCORING_PROPS) delete fromContext[prop];
    }
    const merged = { ...fromContext, ...given };
    this.sentimentApi = new SentimentApi(this, 'Sentiment', requireScoring(merged));
    if (props.description === undefined) {
      this.templateOptions.description =
        this.sentimentApi.scoring.kind === 'endpoint'
          ? 'Movie review sentiment API: API Gateway -> Lambda (Node.js 24) -> SageMaker XGBoost endpoint'
          : 'Movie review sentiment API: API Gateway -> Lambda (Node.js 24) scoring the XGBoost model in the function';
    }
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
    modelSource: text(CONTEXT_KEYS.modelSource),
    modelFile: text(CONTEXT_KEYS.modelFile),
    vocabularySource: text(CONTEXT_KEYS.vocabularySource),
    allowedOrigins: origins?.split(',').map((origin) => origin.trim()),
    memorySize: integer(CONTEXT_KEYS.memorySize),
    timeout: timeoutSeconds === undefined ? undefined : Duration.seconds(timeoutSeconds),
    payloadFormat: text(CONTEXT_KEYS.payloadFormat) as SentimentApiProps['payloadFormat'],
    throttlingRateLimit: decimal(CONTEXT_KEYS.throttlingRateLimit),
    throttlingBurstLimit: integer(CONTEXT_KEYS.throttlingBurstLimit),
    webAclArn: text(CONTEXT_KEYS.webAclArn),
    artifactDirectory: codeDirectory,
  });
}

/**
 * Checks that the merged props say what to score with, or that the artifact bundles a model, with the `-c` keys
 * in the message. Code given as a `lambda.Code` is the construct's to judge: the stack cannot look into it.
 */
function requireScoring(props: Partial<SentimentApiProps>): SentimentApiProps {
  const { endpointName, modelSource, modelFile } = CONTEXT_KEYS;
  if (SCORING_PROPS.some((prop) => props[prop] !== undefined) || props.code !== undefined) return props;
  if (readArtifactManifest(artifactDirectoryPath(props.artifactDirectory))?.model !== undefined) return props;
  throw new Error(
    'SentimentStack needs the name of the SageMaker endpoint to invoke, or a model to score in the function: ' +
      `pass -c ${endpointName}=<endpoint-name>, -c ${modelSource}=s3://<bucket>/<key> or -c ${modelFile}=<path> ` +
      `(e.g. npm run cdk -- deploy -c ${endpointName}=sentiment-xgboost), or build the artifact with its model ` +
      '(npm run build -- --model FILE --vocabulary FILE); in the stack props, set sentiment.endpointName, ' +
      'sentiment.modelSource or sentiment.modelFile.',
  );
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
