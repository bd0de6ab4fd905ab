/**
 * Where a vocabulary or a model comes from, as a deployment names it: a file shipped with the function
 * (a path or a `file://` URL) or an S3 object (`s3://bucket/key`). The middlewares that load them and the
 * CDK construct that grants access to them read a location the same way, here.
 */
import { isAbsolute, resolve } from 'node:path';

/** A file, or an S3 object. */
export type SourceLocation =
  | { readonly kind: 'file'; readonly path: string | URL }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/**
 * `s3://bucket/key`: a bucket named by S3's rules (3-63 lowercase letters, digits, dots and hyphens,
 * starting and ending with a letter or digit) and a non-empty key.
 */
export const S3_URL_PATTERN = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/;

/** A URL scheme other than `file://`, which a source cannot use. */
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The location `text` names, or a message saying why it names none (an unsupported scheme, an `s3://`
 * URL without a valid bucket or key). A relative path is resolved against `LAMBDA_TASK_ROOT`, the
 * function's root, or else the working directory.
 */
export function locate(text: string | URL): SourceLocation | { readonly problem: string } {
  if (text instanceof URL) {
    return text.protocol === 'file:' ? { kind: 'file', path: text } : locate(text.href);
  }
  if (text.startsWith('s3://')) {
    const match = S3_URL_PATTERN.exec(text);
    if (match === null || (match[1] as string).includes('..')) {
      return {
        problem:
          'is not a valid s3://bucket/key: the bucket must follow S3 naming (3-63 lowercase letters, digits, dots, ' +
          'hyphens) and the key must not be empty',
      };
    }
    return { kind: 's3', bucket: match[1] as string, key: match[2] as string };
  }
  if (text.startsWith('file://')) return { kind: 'file', path: new URL(text) };
  if (OTHER_URL.test(text)) return { problem: 'is not supported: use a file path, a file:// URL or s3://bucket/key' };
  return { kind: 'file', path: isAbsolute(text) ? text : resolve(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), text) };
}
