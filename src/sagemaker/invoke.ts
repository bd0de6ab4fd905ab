/**
 * One `InvokeEndpoint` call for a whole batch of reviews.
 */
import { InvokeEndpointCommand, type SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { EncodedPayload } from '../encoder/payload.ts';
import { monotonicMs } from '../monotonic-clock.ts';
import { parseScores } from './scores.ts';

/**
 * Result of {@link invokeModel}.
 *
 * @example
 * ```ts
 * import { createSageMakerClient, invokeModel, type ModelReply, payloadEncoderFor, Vocabulary } from 'sentiment-lambda';
 * const payload = payloadEncoderFor(Vocabulary.fromWords(['bad', 'good'])).encode(['A good film']);
 * const reply: ModelReply = await invokeModel(createSageMakerClient(), payload, { endpointName: 'sentiment' });
 * console.log(reply.scores, reply.latencyMs, reply.requestId);
 * ```
 */
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

/**
 * Where and how to call the model.
 *
 * @example
 * ```ts
 * import type { InvokeModelOptions } from 'sentiment-lambda';
 * // Abandon the call after 2 s, as Middy's timeoutEarlyInMillis signal would.
 * const options: InvokeModelOptions = { endpointName: 'sentiment', abortSignal: AbortSignal.timeout(2_000) };
 * ```
 */
export interface InvokeModelOptions {
  endpointName: string;
  /** Aborts the call (Middy's `timeoutEarlyInMillis` signal). */
  abortSignal?: AbortSignal;
}

const utf8 = new TextDecoder();

/**
 * Sends the encoded payload to the endpoint and returns one score per row.
 * @throws the SDK's error (`ModelError`, `ThrottlingException`...), or a {@link ScoreParseError} for a reply that
 *   is not one score per row.
 *
 * @example
 * ```ts
 * import { createSageMakerClient, invokeModel, payloadEncoderFor, toSentiment, type Vocabulary } from 'sentiment-lambda';
 * const client = createSageMakerClient();
 * export async function labels(vocabulary: Vocabulary, reviews: string[]) {
 *   const payload = payloadEncoderFor(vocabulary).encode(reviews); // one row per review: one call
 *   const { scores } = await invokeModel(client, payload, { endpointName: 'sentiment' });
 *   return scores.map((score) => toSentiment(score).label);
 * }
 * ```
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
