/** Decoders for the charsets clients declare: the WHATWG Encoding Standard's labels, strict. */
import { describe, expect, it } from 'vitest';
import { charsetDecoder, UTF8_DECODER } from '../../src/http/charset.ts';

describe('charsetDecoder', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    [' windows-1252\t', 'windows-1252'],
    ['utf-16', 'utf-16le'],
    ['utf-16be', 'utf-16be'],
    ['Shift_JIS', 'shift_jis'],
    ['sjis', 'shift_jis'],
    ['gbk', 'gbk'],
    ['euc-kr', 'euc-kr'],
    ['koi8-r', 'koi8-r'],
  ])('knows %j as %s', (label, encoding) => {
    // Act
    const decoder = charsetDecoder(label);

    // Assess
    expect(decoder?.encoding).toBe(encoding);
  });

  it.each([['klingon'], [''], ['utf-9'], ['iso-2022-kr'], ['hz-gb-2312'], ['replacement'], ['\u00a0utf-8']])(
    'knows no decoder for %j',
    (label) => {
      // Act
      const decoder = charsetDecoder(label);

      // Assess
      expect(decoder).toBeUndefined();
    },
  );

  it('makes one decoder per label, whatever its case and surrounding whitespace', () => {
    // Act
    const decoders = [charsetDecoder('Latin1'), charsetDecoder(' LATIN1 '), charsetDecoder('latin1')];

    // Assess
    expect(new Set(decoders).size).toBe(1);
    expect(charsetDecoder('utf-8')).toBe(UTF8_DECODER);
  });

  it('decodes strictly, keeping a byte order mark as text, and can be reused after a failure', () => {
    // Prepare
    const shiftJis = charsetDecoder('shift_jis');
    const utf16 = charsetDecoder('utf-16le');

    // Act
    const truncated = () => shiftJis?.decode(Uint8Array.from([0x89]));
    const eiga = shiftJis?.decode(Uint8Array.from([0x89, 0x66, 0x89, 0xe6]));
    const withBom = UTF8_DECODER.decode(Uint8Array.from([0xef, 0xbb, 0xbf, 0x67]));
    const oddLength = () => utf16?.decode(Uint8Array.from([0x67, 0x00, 0x6f]));

    // Assess
    expect(truncated).toThrow(TypeError);
    expect(eiga).toBe('映画');
    expect(withBom).toBe('\ufeffg');
    expect(oddLength).toThrow(TypeError);
    expect(utf16?.decode(Uint8Array.from([0x67, 0x00]))).toBe('g');
  });
});
