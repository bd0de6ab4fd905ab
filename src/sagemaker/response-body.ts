/**
 * The SDK client's `streamCollector`: reads a response body into bytes.
 *
 * The SDK's own collector first asks whether the body is a web `Blob` or `ReadableStream`, and the
 * first read of either global makes Node load its WebStreams implementation, at every cold start
 * (docs/cold-start.md has the A/B figure), for a body that, from the SDK's Node HTTP handler, is
 * always a Node stream. This one reads what it is given without those
 * globals: a Node stream, or any async iterable of byte chunks (a web `ReadableStream` is one), or a
 * `Blob` from a custom fetch-based request handler.
 */

/** A body the SDK hands to its stream collector. */
type ResponseBody = AsyncIterable<unknown> | { arrayBuffer(): Promise<ArrayBuffer> };

/** Reads the whole body into a new array; rejects with the stream's error when the stream fails. */
export async function collectResponseBody(body: ResponseBody): Promise<Uint8Array> {
  if (!(Symbol.asyncIterator in body)) return new Uint8Array(await body.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    const bytes = chunkBytes(chunk);
    chunks.push(bytes);
    length += bytes.byteLength;
  }
  // Always a fresh array, as the SDK's collector gives: the SDK re-types it in place as the reply's
  // `Body`, and a chunk may be a view into a buffer the stream reuses.
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * A chunk's bytes: the SDK's Node handler gives `Buffer`s, a stream with an encoding set (or a test
 * double) gives text, which is UTF-8 encoded as the SDK's own collector does.
 */
function chunkBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError(`A response body chunk must be bytes or text, not ${Object.prototype.toString.call(chunk)}.`);
}
