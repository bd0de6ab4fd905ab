/**
 * One `InvokeEndpoint` call for a whole batch of reviews.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { EncodedPayload } from '../encoder/payload.ts';
import { monotonicMs } from '../monotonic-clock.ts';
import { parseScores } from './scores.ts';

/** Result of {@link invokeModel}. */
export interface ModelReply {
  /** One score per row of the payload, in order. */
  readonly scores: number[];
  /** Time spent in the endpoint call, in ms (SDK retries included). */
  readonly latencyMs: number;
  /** SageMaker's request id, for support cases and the log. */
  readonly requestId: string | undefined;
  /** The production variant that answered. */
  readonly variant: string | undefined;
}

/** Where and how to call the model. */
export interface InvokeModelOptions {
  endpointName: string;
  /** Aborts the call (Middy's `timeoutEarlyInMillis` signal). */
  abortSignal?: AbortSignal;
}

const utf8 = new TextDecoder();

/**
 * Sends the encoded payload to the endpoint and returns one score per row.
 * @throws the SDK's error (see `toClientError`) or a `ScoreParseError` for an unreadable reply.
 */
export async function invokeModel(
  client: SageMakerRuntimeClient,
  payload: EncodedPayload,
  { endpointName, abortSignal }: InvokeModelOptions,
): Promise<ModelReply> {
  const started = monotonicMs();
  const reply = await client.send(
    new InvokeEndpointCommand({
      EndpointName: endpointName,
      ContentType: payload.contentType,
      Accept: 'text/csv',
      Body: Buffer.from(payload.body, 'utf8'),
    }),
    { abortSignal },
  );
  const latencyMs = monotonicMs() - started;
  // The SDK gives `null` (not `undefined`) for an empty reply body: that is an unreadable answer, not a crash.
  const body = reply.Body == null ? '' : utf8.decode(reply.Body);
  return {
    scores: parseScores(body, reply.ContentType, payload.rows),
    latencyMs,
    requestId: reply.$metadata?.requestId,
    variant: reply.InvokedProductionVariant,
  };
}
