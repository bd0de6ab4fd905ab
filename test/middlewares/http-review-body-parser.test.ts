/**
 * The body parser called directly, on charsets: what `event.body` holds after it for each declared
 * charset, and the order of its checks (type and charset, then size, then decoding).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpReviewBodyParser } from '../../middlewares/http-review-body-parser.ts';
import { lambdaContext } from '../../src/testing/events.ts';

/** A POST carrying `bytes` base64-encoded, as a Function URL passes any charset but UTF-8. */
const bytesEvent = (bytes: Uint8Array, contentType?: string) => ({
  httpMethod: 'POST',
  headers: contentType === undefined ? {} : { 'Content-Type': contentType },
  body: Buffer.from(bytes).toString('base64'),
  isBase64Encoded: true,
});

/** Runs the parser's `before` on `event`: the body it leaves, or the error it throws. */
function parse(event: object, opts: Parameters<typeof httpReviewBodyParser>[0] = {}) {
  const request = { event, context: lambdaContext(), response: undefined, error: undefined, internal: {} };
  try {
    httpReviewBodyParser(opts).before?.(request as never);
    return { body: (request.event as { body: unknown }).body };
  } catch (error) {
    return { error: error as Error & { statusCode?: number } };
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('httpReviewBodyParser charsets', () => {
  it.each([
    ['text/plain; charset=iso-8859-1', Buffer.from('Café', 'latin1')],
    ['text/plain; charset=windows-1252', Buffer.from([0x43, 0x61, 0x66, 0xe9])],
    ['text/plain; charset=utf-16le', Buffer.from('Café', 'utf16le')],
    ['text/plain; charset=utf-16be', Buffer.from('Café', 'utf16le').swap16()],
    ['text/plain; charset=UTF-8', Buffer.from('Café', 'utf8')],
    ['text/plain', Buffer.from('Café', 'utf8')],
    [undefined, Buffer.from('Café', 'utf8')],
  ])('leaves the review text "Café" in event.body for %s', (contentType, bytes) => {
    // Act
    const result = parse(bytesEvent(bytes, contentType));

    // Assess
    expect(result).toEqual({ body: 'Café' });
  });

  it('reads windows-1252 bytes as the Encoding Standard maps them (0x80 is €, as browsers read latin1)', () => {
    // Act
    const result = parse(bytesEvent(Buffer.from([0x80, 0x20, 0xe9]), 'text/plain; charset=latin1'));

    // Assess
    expect(result).toEqual({ body: '€ é' });
  });

  it('parses JSON as UTF-8 under a declared charset, as RFC 8259 says', () => {
    // Act
    const result = parse(bytesEvent(Buffer.from('{"review":"Café"}'), 'application/json; charset=latin1'));

    // Assess
    expect(result).toEqual({ body: { review: 'Café' } });
  });

  it('answers an unknown charset with 415 before looking at the body, empty or not', () => {
    // Act
    const empty = parse({ httpMethod: 'POST', headers: { 'content-type': 'text/plain; charset=ebcdic-x' }, body: '' });

    // Assess
    expect(empty.error?.statusCode).toBe(415);
    expect(empty.error?.message).toMatch(/^Charset "ebcdic-x" is not supported/);
  });

  it('checks the size before decoding: a body over maxBodyBytes in any charset is never decoded', () => {
    // Prepare
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const event = bytesEvent(Buffer.alloc(3000, 0x41), 'text/plain; charset=utf-16le');

    // Act
    const over = parse(event, { maxBodyBytes: 2000 });
    const under = parse(event, { maxBodyBytes: 3000 });

    // Assess
    expect(over.error?.statusCode).toBe(413);
    expect(under.body).toBe('䅁'.repeat(1500));
    expect(decode).toHaveBeenCalledTimes(1);
  });
});
