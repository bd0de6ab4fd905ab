/**
 * The offline stack: the SageMaker-compatible endpoint, and the real handler (createHandler, the real
 * SDK over HTTP with SigV4) behind a local API Gateway stand-in that also serves the web page. Only the
 * endpoint's address differs from production.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relative } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Vocabulary } from '../src/encoder/vocabulary.ts';
import { DEFAULT_SERVICE_NAME } from '../src/handler-defaults.ts';
import { createHandler, type SageMakerHandlerOptions, type SentimentHandler } from '../src/pipeline.ts';
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
}

/** A running stack. */
export interface LocalStack {
  /** The API and web page, e.g. http://127.0.0.1:3000/. */
  url: string;
  /** The SageMaker Runtime endpoint, as `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` would name it. */
  endpointUrl: string;
  endpoint: EndpointServer;
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

/** Starts the endpoint and the front; resolves once both listen. */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const model = await loadLocalModel({ modelFile: options.modelFile, vocabularyFile: options.vocabularyFile });
  let endpoint: EndpointServer;
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

  const handler = createLocalHandler(endpoint.url, model.vocabulary, {
    logger: new Logger({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
      logLevel: options.logLevel ?? 'WARN',
    }),
    ...(options.metrics === false ? { metrics: false } : {}),
  });
  const front = createHttpFront({
    handler: handler as ProxyHandler,
    webDirectory: new URL('./web/', import.meta.url),
    modelInfo: describeModel(model),
  });
  let port: number;
  try {
    port = await listen(front, options.port ?? 3000, host, 'API and web page', '--port');
  } catch (error) {
    await endpoint.close();
    throw error;
  }

  return {
    url: `http://${host}:${port}/`,
    endpointUrl: endpoint.url,
    endpoint,
    model,
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await endpoint.close();
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
}

/** The model served, for a person: file, kind, size and accuracy when known. */
export function describeModel({ model, modelFile, vocabularyFile, heldOutAccuracy }: LocalModel): ModelDescription {
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
  };
}

function relativeToCwd(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath.startsWith('..') ? file : relativePath;
}
