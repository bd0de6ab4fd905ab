import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { collectResponseBody } from '../../src/sagemaker/response-body.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (body: Uint8Array) => new TextDecoder().decode(body);

describe('collectResponseBody', () => {
  it('reads a Node stream, as the SDK Node HTTP handler gives it, whole and in order', async () => {
    // Prepare
    const body = Readable.from([Buffer.from('0.91,'), Buffer.from('0.12'), Buffer.from('\n')]);

    // Act
    const collected = await collectResponseBody(body);

    // Assess
    expect(text(collected)).toBe('0.91,0.12\n');
  });

  it('returns a fresh array, not the chunk the stream handed over', async () => {
    // Prepare
    const chunk = Buffer.from('0.91');
    const body = Readable.from([chunk]);

    // Act
    const collected = await collectResponseBody(body);
    chunk.fill(0);

    // Assess
    expect(text(collected)).toBe('0.91');
    expect(collected.constructor).toBe(Uint8Array);
  });

  it('reads a web ReadableStream and a Blob, as a fetch-based request handler gives them', async () => {
    // Prepare
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('0.4'));
        controller.enqueue(bytes('2'));
        controller.close();
      },
    });
    const blob = new Blob(['0.', '73']);

    // Act
    const fromStream = await collectResponseBody(stream);
    const fromBlob = await collectResponseBody(blob);

    // Assess
    expect(text(fromStream)).toBe('0.42');
    expect(text(fromBlob)).toBe('0.73');
  });

  it('reads text chunks (a stream with an encoding set) and other typed views as their bytes', async () => {
    // Prepare
    const textStream = new Readable({ read() {} });
    textStream.setEncoding('utf8');
    textStream.push(Buffer.from('0.9'));
    textStream.push(Buffer.from('é'));
    textStream.push(null);
    const views = Readable.from([new DataView(bytes('0.').buffer), new Uint16Array([0x3137])]);

    // Act
    const fromText = await collectResponseBody(textStream);
    const fromViews = await collectResponseBody(views);

    // Assess
    expect(text(fromText)).toBe('0.9é');
    expect(text(fromViews)).toBe('0.71');
  });

  it('rejects a chunk that is neither bytes nor text, saying what it got', async () => {
    // Act
    const collected = collectResponseBody(Readable.from([{ score: 0.9 }]));

    // Assess
    await expect(collected).rejects.toThrow('A response body chunk must be bytes or text, not [object Object].');
  });

  it('reads an empty body as no bytes', async () => {
    // Act
    const collected = await collectResponseBody(Readable.from([]));

    // Assess
    expect(collected).toEqual(new Uint8Array(0));
  });

  it("rejects with the stream's error when the connection fails mid-body", async () => {
    // Prepare
    const body = new Readable({
      read() {
        this.push(Buffer.from('0.9'));
        this.destroy(new Error('socket hang up'));
      },
    });

    // Act
    const collected = collectResponseBody(body);

    // Assess
    await expect(collected).rejects.toThrow('socket hang up');
  });
});
