/**
 * What the S3 SDK answers a GetObject with, for suites that stand in for S3 (aws-sdk-client-mock or a
 * fake client class): an object, and the errors a vocabulary refresh meets.
 */
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';

/** A GetObject reply whose Body reads as the vocabulary's JSON, like the SDK's stream mixin. */
export function s3Object(vocabulary: Record<string, number>, etag: string): GetObjectCommandOutput {
  return s3Bytes(new TextEncoder().encode(JSON.stringify(vocabulary)), etag, 'application/json');
}

/** A GetObject reply whose Body holds `bytes`, readable as the SDK's stream mixin reads it. */
export function s3Bytes(
  bytes: Uint8Array,
  etag: string,
  contentType = 'application/octet-stream',
): GetObjectCommandOutput {
  return {
    $metadata: { requestId: `s3-${etag}`, httpStatusCode: 200 },
    Body: {
      transformToByteArray: async () => bytes,
      transformToString: async () => new TextDecoder().decode(bytes),
    } as unknown as GetObjectCommandOutput['Body'],
    ETag: etag,
    ContentType: contentType,
  };
}

/** The error the S3 SDK throws for a 304 answer to `IfNoneMatch`. */
export function notModified(): Error {
  const error = new Error('Not Modified');
  error.name = 'NotModified';
  return Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 304, requestId: 's3-304' } });
}

/** The error the S3 SDK throws for a missing object. */
export function noSuchKey(): Error {
  const error = new Error('The specified key does not exist.');
  error.name = 'NoSuchKey';
  return Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 404, requestId: 's3-404' } });
}
