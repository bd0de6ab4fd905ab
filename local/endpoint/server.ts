/**
 * A local SageMaker Runtime endpoint: `POST /endpoints/{name}/invocations` on Node `http`, answering
 * like SageMaker in front of the built-in XGBoost container, reachable by the unmodified AWS SDK v3
 * `SageMakerRuntimeClient` (`endpoint` option or `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME`) with any
 * static credentials. It serves XGBoost models in any form xgboost or SageMaker writes them (scored as
 * xgboost scores them, `src/xgboost/`) and the linear bag-of-words models of `local/model/model.ts`,
 * injects faults, and counts invocations.
 *
 * Control routes (no signature needed): `GET|POST|DELETE /_faults` (list / add / clear faults),
 * `GET|DELETE /_stats` (read / reset counters).
 *
 * Run: `npm run endpoint -- [--port 8080] [--host 127.0.0.1] [--model FILE] [--endpoint-name NAME]`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { SAGEMAKER_MAX_REQUEST_BYTES } from '../../src/sagemaker/limits.ts';
import { ModelLoadError } from '../../src/xgboost/errors.ts';
import { readBody } from '../http-front.ts';
import { loadDefaultModel } from '../model/default-model.ts';
import { type AwsErrorReply, awsError, modelError, payloadTooLarge } from './errors.ts';
import { type Fault, FaultError, FaultInjector, type OutcomeFault, validateFault } from './faults.ts';
import {
  ContainerError,
  formatScores,
  inputFormatOf,
  type OutputFormat,
  outputFormatOf,
  parsePayload,
} from './payload-parser.ts';
import { loadServedModel, type ServedModel } from './served-model.ts';
import { EndpointStats } from './stats.ts';

/** The endpoint name the default model is served under. */
export const DEFAULT_ENDPOINT_NAME = 'sentiment-local';

/** Options of {@link startEndpointServer}; every one is optional. */
export interface EndpointServerOptions {
  /** TCP port; 0 (default) picks a free one (read it from the result). */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Endpoint name -> model, or path of a model file: an XGBoost model in any form (JSON, UBJSON, legacy
   * binary, pickled Booster, SageMaker's `model.tar.gz`) or a linear model (`local/model/model.ts` format),
   * told apart by content. Default: `{ "sentiment-local": <default-model/model.ubj> }`.
   */
  readonly models?: Readonly<Record<string, ServedModel | string>> | ReadonlyMap<string, ServedModel | string>;
  /** Sent as `x-Amzn-Invoked-Production-Variant`; a request's `Target-Variant` must name it. Default `AllTraffic`. */
  readonly variantName?: string;
  /** Region in messages and ARNs when the request's SigV4 credential scope names none. Default `us-east-1`. */
  readonly region?: string;
  /** Account id in messages and ARNs. Default `123456789012`. */
  readonly accountId?: string;
  /** Largest request body accepted; larger ones get AWS's 413. Default {@link SAGEMAKER_MAX_REQUEST_BYTES}. */
  readonly maxPayloadBytes?: number;
  /**
   * Require a SigV4 `authorization` (`AWS4-HMAC-SHA256 Credential=.../sagemaker/aws4_request`) and
   * `x-amz-date`, answering 403 as AWS does otherwise. The signature itself is not verified. Default `true`.
   */
  readonly requireSignature?: boolean;
  /** Faults active from the start (see `faults.ts`). Default none. */
  readonly faults?: readonly Fault[];
  /** Receives one line per request. Default: silent. */
  readonly log?: (line: string) => void;
}

/** A running endpoint server. */
export interface EndpointServer {
  /** Base URL, e.g. `http://127.0.0.1:43121`: the SDK client's `endpoint`. */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Names of the endpoints served. */
  readonly endpointNames: readonly string[];
  /** Active faults: add (`add`, `latency`, `error`, `drop`, `body`), `list`, `clear`. */
  readonly faults: FaultInjector;
  /** Live counters (`invocations`, `byEndpoint`, `byStatus`, `rowsScored`, `faultsApplied`, `last`, `reset()`). */
  readonly stats: EndpointStats;
  /** Stops listening, closes every connection, cancels pending delays. */
  close(): Promise<void>;
}

const INVOCATION_PATH = /^\/endpoints\/([^/]+)\/invocations\/?$/;

interface RequestContext {
  readonly requestId: string;
  readonly region: string;
}

/**
 * Starts a local SageMaker Runtime endpoint server.
 * @throws {ModelLoadError} naming the file and what is wrong when a model file given in `models` cannot be served.
 */
export async function startEndpointServer(options: EndpointServerOptions = {}): Promise<EndpointServer> {
  const host = options.host ?? '127.0.0.1';
  const variantName = options.variantName ?? 'AllTraffic';
  const defaultRegion = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const maxPayloadBytes = options.maxPayloadBytes ?? SAGEMAKER_MAX_REQUEST_BYTES;
  const requireSignature = options.requireSignature ?? true;
  const log = options.log ?? (() => {});
  const models = await resolveModels(options.models);
  const faults = new FaultInjector();
  if (options.faults !== undefined) faults.add(...options.faults);
  const stats = new EndpointStats();
  const closing = new AbortController();

  async function invoke(
    endpointName: string,
    req: IncomingMessage,
    res: ServerResponse,
    context: RequestContext,
  ): Promise<void> {
    stats.invocations += 1;
    stats.byEndpoint[endpointName] = (stats.byEndpoint[endpointName] ?? 0) + 1;
    const contentType = req.headers['content-type'];
    const accept = req.headers.accept;
    const { body, bytes, tooLarge } = await readBody(req, maxPayloadBytes);
    const record = (outcome: number | 'dropped', rows = 0): void =>
      stats.record({
        endpointName,
        contentType,
        accept,
        bytes,
        rows,
        outcome,
        customAttributes: header(req, 'x-amzn-sagemaker-custom-attributes'),
        targetVariant: header(req, 'x-amzn-sagemaker-target-variant'),
        inferenceId: header(req, 'x-amzn-sagemaker-inference-id'),
      });
    const fail = (reply: AwsErrorReply): void => {
      sendError(res, reply, context);
      record(reply.status);
    };

    if (tooLarge) return fail(payloadTooLarge(maxPayloadBytes));
    const model = models.get(endpointName);
    if (model === undefined) {
      return fail(awsError('ValidationError', `Endpoint ${endpointName} of account ${accountId} not found.`));
    }
    const targetVariant = header(req, 'x-amzn-sagemaker-target-variant');
    if (targetVariant !== undefined && targetVariant !== variantName) {
      return fail(awsError('ValidationError', `Variant ${targetVariant} not found for Endpoint ${endpointName}.`));
    }

    const plan = faults.take();
    if (plan.latencyMs > 0 || plan.outcome !== undefined) stats.faultsApplied += 1;
    if (plan.latencyMs > 0) {
      try {
        await sleep(plan.latencyMs, undefined, { signal: closing.signal });
      } catch {
        return; // the server is closing
      }
      if (res.destroyed) return void record('dropped'); // the client gave up waiting
    }
    const modelContext = { endpointName, region: context.region, accountId, variantName };
    if (plan.outcome !== undefined) return applyOutcome(plan.outcome);

    try {
      const outputFormat: OutputFormat = outputFormatOf(accept);
      const parsed = parsePayload(body.toString('utf8'), inputFormatOf(contentType), model.featureCount);
      const scores = parsed.format === 'csv' ? model.predictDense(parsed.rows) : model.predictSparse(parsed.rows);
      const reply = formatScores(scores, outputFormat);
      res.writeHead(200, {
        'Content-Type': reply.contentType,
        'x-Amzn-Invoked-Production-Variant': variantName,
        'x-amzn-RequestId': context.requestId,
      });
      res.end(reply.body);
      record(200, scores.length);
    } catch (error) {
      if (!(error instanceof ContainerError)) throw error;
      fail(modelError(error.statusCode, error.message, modelContext));
    }

    function applyOutcome(outcome: OutcomeFault): void {
      if (outcome.kind === 'drop') {
        req.socket.destroy();
        record('dropped');
        return;
      }
      if (outcome.kind === 'body') {
        const status = outcome.status ?? 200;
        res.writeHead(status, {
          'Content-Type': outcome.contentType ?? 'text/csv; charset=utf-8',
          'x-Amzn-Invoked-Production-Variant': variantName,
          'x-amzn-RequestId': context.requestId,
        });
        res.end(outcome.body);
        record(status);
        return;
      }
      const reply =
        outcome.name === 'ModelError'
          ? modelError(
              outcome.originalStatusCode ?? 500,
              outcome.originalMessage ?? outcome.message ?? 'Injected model container failure.',
              modelContext,
              outcome.status,
            )
          : awsError(outcome.name, outcome.message, outcome.status);
      fail(reply);
    }
  }

  async function control(route: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { body, tooLarge } = await readBody(req, 1_048_576);
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (tooLarge) return json(413, { message: 'Control request body over 1 MB.' });
    if (route === '/_stats') {
      if (req.method === 'GET') return json(200, stats);
      if (req.method === 'DELETE') {
        stats.reset();
        return json(200, stats);
      }
    } else if (route === '/_faults') {
      if (req.method === 'GET') return json(200, { faults: faults.list() });
      if (req.method === 'DELETE') {
        faults.clear();
        return json(200, { faults: [] });
      }
      if (req.method === 'POST') {
        try {
          const parsed: unknown = JSON.parse(body.toString('utf8'));
          const list = (Array.isArray(parsed) ? parsed : [parsed]).map(validateFault);
          faults.add(...list);
          return json(200, { faults: faults.list() });
        } catch (error) {
          const message = error instanceof FaultError ? error.message : `Body is not JSON: ${(error as Error).message}`;
          return json(400, { message });
        }
      }
    }
    res.setHeader('Allow', route === '/_stats' ? 'GET, DELETE' : 'GET, POST, DELETE');
    return json(405, { message: `${req.method} is not supported on ${route}.` });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/_faults' || path === '/_stats') return control(path, req, res);
    const context: RequestContext = { requestId: randomUUID(), region: defaultRegion };
    const match = INVOCATION_PATH.exec(path);
    if (match === null || req.method !== 'POST') {
      await readBody(req, 0);
      return sendError(
        res,
        awsError(
          'UnknownOperationException',
          `No operation at ${req.method} ${path}: this endpoint serves POST /endpoints/{EndpointName}/invocations.`,
        ),
        context,
      );
    }
    const scope = credentialScope(req);
    if (requireSignature && scope === undefined) {
      await readBody(req, 0);
      return sendError(res, awsError('MissingAuthenticationTokenException', 'Missing Authentication Token'), context);
    }
    if (scope !== undefined && scope.service !== 'sagemaker') {
      await readBody(req, 0);
      return sendError(
        res,
        awsError('InvalidSignatureException', "Credential should be scoped to correct service: 'sagemaker'."),
        context,
      );
    }
    const endpointName = decodeURIComponent(match[1] as string);
    log(`POST /endpoints/${endpointName}/invocations ${req.headers['content-type'] ?? '-'}`);
    return invoke(endpointName, req, res, { ...context, region: scope?.region || defaultRegion });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`internal error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent && !res.destroyed) {
        sendError(res, awsError('InternalFailure'), { requestId: randomUUID(), region: defaultRegion });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    endpointNames: [...models.keys()],
    faults,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function resolveModels(models: EndpointServerOptions['models']): Promise<Map<string, ServedModel>> {
  if (models === undefined) return new Map([[DEFAULT_ENDPOINT_NAME, (await loadDefaultModel()).model]]);
  const entries = models instanceof Map ? [...models.entries()] : Object.entries(models);
  return new Map(
    await Promise.all(
      entries.map(
        async ([name, model]) => [name, typeof model === 'string' ? await loadServedModel(model) : model] as const,
      ),
    ),
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Region and service of a SigV4 `authorization` header, or `undefined` when the request is not signed. */
function credentialScope(req: IncomingMessage): { region: string; service: string } | undefined {
  const authorization = req.headers.authorization;
  if (authorization === undefined || !authorization.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  if (req.headers['x-amz-date'] === undefined) return undefined;
  // Credential=AKID/20240101/us-east-1/sagemaker/aws4_request
  const scope = /Credential=[^/,]+\/\d{8}\/([^/,]*)\/([^/,]*)\/aws4_request/.exec(authorization);
  return scope === null ? { region: '', service: '' } : { region: scope[1] as string, service: scope[2] as string };
}

function sendError(res: ServerResponse, reply: AwsErrorReply, context: RequestContext): void {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': context.requestId,
  };
  if (reply.type !== undefined) headers['x-amzn-ErrorType'] = reply.type;
  res.writeHead(reply.status, headers);
  res.end(JSON.stringify(reply.body));
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      model: { type: 'string' },
      'endpoint-name': { type: 'string', default: DEFAULT_ENDPOINT_NAME },
    },
  });
  let server: EndpointServer;
  try {
    server = await startEndpointServer({
      port: Number(values.port),
      host: values.host,
      models: { [values['endpoint-name']]: values.model ?? (await loadDefaultModel()).model },
      log: (line) => console.log(line),
    });
  } catch (error) {
    if (!(error instanceof ModelLoadError)) throw error;
    console.error(`Cannot serve the model: ${error.message}`);
    process.exit(1);
  }
  console.log(`SageMaker Runtime endpoint "${values['endpoint-name']}" listening on ${server.url}`);
  console.log(`  export AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=${server.url}`);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
