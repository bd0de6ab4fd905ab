/**
 * The offline stack: the real handler (createHandler) behind a local API Gateway stand-in that also
 * serves the web page, scoring either through the SageMaker-compatible endpoint (the real SDK over HTTP
 * with SigV4; only the endpoint's address differs from production) or with the model in the function
 * (`inProcess`, as a function deployed with MODEL_SOURCE or a bundled model scores).
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Vocabulary } from '../src/encoder/vocabulary.ts';
import { DEFAULT_SERVICE_NAME } from '../src/handler-defaults.ts';
import { createHandler, type SageMakerHandlerOptions, type SentimentHandler } from '../src/pipeline.ts';
import { XGBoostModel } from '../src/xgboost/model.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from './endpoint/server.ts';
import { createHttpFront, type ProxyHandler } from './http-front.ts';
import { type LocalModel, loadLocalModel } from './model/default-model.ts';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Port of the API and web page. Default 3000; 0 picks a free one. */
  port?: number;
  /** Port of the SageMaker-compatible endpoint. Default 8080; 0 picks a free one. */
  endpointPort?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /**
   * The model to serve: XGBoost in any form (JSON, UBJSON, the legacy binary `xgboost-model`, a pickled
   * Booster, SageMaker's `model.tar.gz`) or a linear model JSON. Default: the XGBoost model trained on the
   * sentence-polarity sentences (`default-model/model.ubj`).
   */
  modelFile?: string | URL;
  /**
   * The vocabulary the handler encodes with, as wide as the model. Default: a linear model's own, else
   * `default-model/vocabulary.json`.
   */
  vocabularyFile?: string | URL;
  /**
   * Write each request's metrics to standard output, as CloudWatch EMF lines, as the deployed function does
   * (unless `POWERTOOLS_METRICS_DISABLED=true`). Default `true`.
   */
  metrics?: boolean;
  /** Handler log level (Powertools). Default `WARN`, so the console stays readable. */
  logLevel?: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';
  /**
   * Score with the model in the handler's process, as a function deployed with `MODEL_SOURCE` does; no
   * endpoint is started. Default `false`: the handler calls the local SageMaker-compatible endpoint.
   */
  inProcess?: boolean;
}

/** A running stack. */
export interface LocalStack {
  /** The API and web page, e.g. http://127.0.0.1:3000/. */
  url: string;
  /** The SageMaker Runtime endpoint, as `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` would name it; none in process. */
  endpointUrl: string | undefined;
  /** The endpoint's name, `sentiment-local`; none in process. */
  endpointName: string | undefined;
  endpoint: EndpointServer | undefined;
  /** The model served and the vocabulary the handler uses. */
  model: LocalModel;
  /** Stops the front and the endpoint. */
  close(): Promise<void>;
}

/** Thrown when a port is taken, with a message that says which and what to do. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

function portInUse(port: number, what: string, flag: string): PortInUseError {
  return new PortInUseError(
    `Port ${port} (${what}) is already in use — is another \`npm start\` running? Stop it, or choose another port with ${flag}.`,
  );
}

async function listen(server: Server, port: number, host: string, what: string, flag: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(port, what, flag) : error),
    );
    server.listen(port, host, resolve);
  });
  return (server.address() as AddressInfo).port;
}

/**
 * The real pipeline (`createHandler`) pointed at a local endpoint: the vocabulary of the model it serves,
 * the endpoint's default name, any static credentials. `options` override the defaults.
 */
export function createLocalHandler(
  endpointUrl: string,
  vocabulary: Vocabulary,
  options: Partial<SageMakerHandlerOptions> = {},
): SentimentHandler {
  return createHandler({
    endpointName: DEFAULT_ENDPOINT_NAME,
    vocabulary: { source: vocabulary },
    clientConfig: {
      endpoint: endpointUrl,
      region: 'us-east-1',
      // The local endpoint checks that requests are SigV4-signed, not by whom.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    },
    ...options,
  });
}

/** The Powertools logger of the stack's handler. */
function stackLogger(options: LocalStackOptions): Logger {
  return new Logger({
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    logLevel: options.logLevel ?? 'WARN',
  });
}

/** Thrown when `inProcess` is asked of a model that only the endpoint serves. */
export class NotScorableInProcessError extends Error {
  override readonly name = 'NotScorableInProcessError';
}

/** A stack whose handler calls the local endpoint (the default). */
export interface EndpointStack extends LocalStack {
  readonly endpointUrl: string;
  readonly endpointName: string;
  readonly endpoint: EndpointServer;
}

/** Starts the endpoint (unless in process) and the front; resolves once both listen. */
export async function startLocalStack(options?: LocalStackOptions & { inProcess?: false }): Promise<EndpointStack>;
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack>;
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const model = await loadLocalModel({ modelFile: options.modelFile, vocabularyFile: options.vocabularyFile });
  const handlerOptions = {
    logger: stackLogger(options),
    ...(options.metrics === false ? { metrics: false as const } : {}),
  };
  let endpoint: EndpointServer | undefined;
  let handler: SentimentHandler;
  if (options.inProcess === true) {
    if (!(model.model instanceof XGBoostModel)) {
      throw new NotScorableInProcessError(
        `${model.modelFile} is a linear model, which only the local endpoint serves: start without --in-process.`,
      );
    }
    handler = createHandler({
      model: { source: model.model },
      vocabulary: { source: model.vocabulary },
      ...handlerOptions,
    });
  } else {
    try {
      endpoint = await startEndpointServer({
        port: options.endpointPort ?? 8080,
        host,
        models: { [DEFAULT_ENDPOINT_NAME]: model.model },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw portInUse(options.endpointPort ?? 8080, 'local SageMaker endpoint', '--endpoint-port');
      }
      throw error;
    }
    handler = createLocalHandler(endpoint.url, model.vocabulary, handlerOptions);
  }
  const front = createHttpFront({
    handler: handler as ProxyHandler,
    webDirectory: new URL('./web/', import.meta.url),
    modelInfo: describeModel(model, options.inProcess === true ? 'in-process' : 'endpoint'),
  });
  let port: number;
  try {
    port = await listen(front, options.port ?? 3000, host, 'API and web page', '--port');
  } catch (error) {
    await endpoint?.close();
    throw error;
  }

  return {
    url: `http://${host}:${port}/`,
    endpointUrl: endpoint?.url,
    endpointName: endpoint === undefined ? undefined : DEFAULT_ENDPOINT_NAME,
    endpoint,
    model,
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await endpoint?.close();
    },
  };
}

/** What the web page and `npm start` say about the model served. */
export interface ModelDescription {
  readonly file: string;
  readonly name: string;
  readonly trees?: number;
  readonly features: number;
  readonly vocabulary: string;
  /** Accuracy on the held-out sentences, when known (the default model's card). */
  readonly accuracy?: number;
  /** The above in words, as `npm start` and the web page show it: `XGBoost, 329 trees, 5000 features, ...`. */
  readonly summary: string;
  /** Where it is scored: in the handler's process, or behind the local endpoint. */
  readonly scoring: 'in-process' | 'endpoint';
}

/** The model served, for a person: file, kind, size and accuracy when known, and where it is scored. */
export function describeModel(
  { model, modelFile, vocabularyFile, heldOutAccuracy }: LocalModel,
  scoring: ModelDescription['scoring'] = 'endpoint',
): ModelDescription {
  const facts = [
    model.trees === undefined ? 'linear' : `XGBoost, ${model.trees} trees`,
    `${model.featureCount} features`,
    ...(heldOutAccuracy === undefined ? [] : [`${(100 * heldOutAccuracy).toFixed(1)}% right on held-out sentences`]),
  ];
  return {
    file: relativeToCwd(modelFile),
    name: model.name,
    ...(model.trees === undefined ? {} : { trees: model.trees }),
    features: model.featureCount,
    vocabulary: relativeToCwd(vocabularyFile),
    ...(heldOutAccuracy === undefined ? {} : { accuracy: heldOutAccuracy }),
    summary: facts.join(', '),
    scoring,
  };
}

function relativeToCwd(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath.startsWith('..') ? file : relativePath;
}
