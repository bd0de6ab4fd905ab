/**
 * A real S3-compatible server for the reliability suites: `s3rver` (the Koa/filesystem S3 emulator)
 * started on loopback on an ephemeral port with a temporary directory, plus what the tests need to see
 * and disturb the traffic: a request log (method, key, `If-None-Match`, status, bytes sent) and a TCP
 * proxy that delays every reply chunk and counts the bytes that cross it.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';

/** The credentials s3rver accepts (it checks the signature against these). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Options of the S3 client the handler (or the test) uses to reach a server at `url`. */
export function s3ClientOptions(url: string): S3ClientConfig {
  return { endpoint: url, forcePathStyle: true, region: 'us-east-1', credentials: { ...S3RVER_CREDENTIALS } };
}

/** One request s3rver answered. */
export interface S3RequestRecord {
  readonly method: string;
  /** Path, e.g. `/bucket/key.json` (path-style). */
  readonly path: string;
  /** The `If-None-Match` the client sent, if any. */
  readonly ifNoneMatch: string | undefined;
  readonly status: number;
  /** Body bytes s3rver wrote for this reply (0 for a 304). */
  readonly bodyBytes: number;
}

/** A running s3rver. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Every request answered, oldest first. */
  readonly requests: S3RequestRecord[];
  createBucket(bucket: string): Promise<void>;
  /** Puts an object; resolves with its ETag (quoted, as S3 sends it). */
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<string>;
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Stops listening, closes every connection, removes the temporary directory. */
  close(): Promise<void>;
}

interface S3rverOptions {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets?: Array<{ name: string }>;
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

// s3rver is CommonJS without type declarations: load it with require and type what is used here.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;

/** Options of {@link startS3Server}. */
export interface S3ServerOptions {
  /** Port; default 0 (ephemeral). */
  port?: number;
  /** Buckets that exist from the start. */
  buckets?: readonly string[];
}

/** Starts s3rver on 127.0.0.1 with a fresh temporary directory. */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const s3rver = new S3rver({
    port: options.port ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
  });
  const { port } = await s3rver.run();
  const httpServer = s3rver.httpServer as Server;
  const requests: S3RequestRecord[] = [];
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    let bodyBytes = 0;
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const count = (chunk: unknown): void => {
      if (typeof chunk === 'string') bodyBytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) bodyBytes += chunk.byteLength;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') count(chunk);
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    res.once('finish', () => {
      const ifNoneMatch = req.headers['if-none-match'];
      requests.push({
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://localhost').pathname,
        ifNoneMatch: Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch,
        status: res.statusCode,
        bodyBytes,
      });
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const admin = new S3Client(s3ClientOptions(url));
  return {
    url,
    port,
    requests,
    async createBucket(bucket) {
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async putObject(bucket, key, body) {
      const reply = await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      return reply.ETag ?? '';
    },
    async deleteObject(bucket, key) {
      await admin.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async close() {
      admin.destroy();
      httpServer.closeAllConnections();
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy in front of a server: every reply chunk is held back `latencyMs`, and bytes are counted. */
export interface TcpProxy {
  readonly url: string;
  readonly port: number;
  /** Delay applied to each chunk from the server to the client; may be changed at any time. */
  latencyMs: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Bytes passed from the server to the client so far. */
  readonly bytesToClient: number;
  /** Stops listening, destroys every connection, cancels pending chunks. */
  close(): Promise<void>;
}

/** Starts a {@link TcpProxy} on 127.0.0.1 (ephemeral port) forwarding to `127.0.0.1:targetPort`. */
export async function startTcpProxy(targetPort: number, latencyMs = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  let bytesToClient = 0;
  const proxy: { latencyMs: number } = { latencyMs };

  const server: NetServer = createNetServer((client) => {
    connections += 1;
    const upstream = new Socket();
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => {
      // Let delayed chunks reach the client before it is closed.
      const timer = setTimeout(() => {
        timers.delete(timer);
        client.end();
      }, proxy.latencyMs);
      timers.add(timer);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      // Same delay for every chunk: timers of equal duration fire in order, so the stream stays intact.
      const timer = setTimeout(() => {
        timers.delete(timer);
        bytesToClient += chunk.length;
        if (!client.destroyed) client.write(chunk);
      }, proxy.latencyMs);
      timers.add(timer);
    });
    upstream.connect(targetPort, '127.0.0.1');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get latencyMs() {
      return proxy.latencyMs;
    },
    set latencyMs(value: number) {
      proxy.latencyMs = value;
    },
    get connections() {
      return connections;
    },
    get bytesToClient() {
      return bytesToClient;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
