/**
 * The offline stack: the SageMaker-compatible endpoint, and the real handler (createHandler, the real
 * SDK over HTTP with SigV4) behind a local API Gateway stand-in that also serves the web page. Only the
 * endpoint's address differs from production.
 */

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { createHandler, type SentimentHandler, type SentimentHandlerOptions } from '../src/pipeline.ts';
import { DEFAULT_ENDPOINT_NAME, type EndpointServer, startEndpointServer } from './endpoint/server.ts';
import { createHttpFront, type ProxyHandler } from './http-front.ts';
import { DEFAULT_MODEL_FILE, type LinearModel, loadModel } from './model/model.ts';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Port of the API and web page. Default 3000; 0 picks a free one. */
  port?: number;
  /** Port of the SageMaker-compatible endpoint. Default 8080; 0 picks a free one. */
  endpointPort?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** A model file `{vocabulary, weights, bias}`. Default: the embedded AFINN-165 model. */
  modelFile?: string | URL;
  /** Handler log level (Powertools). Default `WARN`, so the console stays readable. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** A running stack. */
export interface LocalStack {
  /** The API and web page, e.g. http://127.0.0.1:3000/. */
  url: string;
  /** The SageMaker Runtime endpoint, as `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` would name it. */
  endpointUrl: string;
  endpoint: EndpointServer;
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
 * The real pipeline (`createHandler`) pointed at a local endpoint serving `model`: the model's vocabulary,
 * the endpoint's default name, any static credentials. `options` override the defaults.
 */
export function createLocalHandler(
  endpointUrl: string,
  model: LinearModel,
  options: Partial<SentimentHandlerOptions> = {},
): SentimentHandler {
  return createHandler({
    endpointName: DEFAULT_ENDPOINT_NAME,
    vocabulary: { source: model.vocabulary },
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
  const model = loadModel(options.modelFile ?? DEFAULT_MODEL_FILE);
  let endpoint: EndpointServer;
  try {
    endpoint = await startEndpointServer({
      port: options.endpointPort ?? 8080,
      host,
      models: { [DEFAULT_ENDPOINT_NAME]: model },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw portInUse(options.endpointPort ?? 8080, 'local SageMaker endpoint', '--endpoint-port');
    }
    throw error;
  }

  const handler = createLocalHandler(endpoint.url, model, {
    logger: new Logger({ serviceName: 'sentiment-lambda-local', logLevel: options.logLevel ?? 'WARN' }),
  });
  const front = createHttpFront({
    handler: handler as ProxyHandler,
    webDirectory: new URL('./web/', import.meta.url),
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
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await endpoint.close();
    },
  };
}
