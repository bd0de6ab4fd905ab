/**
 * Stands in for `@smithy/core/event-streams` where the SageMaker Runtime client imports it, in the
 * built handler only (scripts/bundle-handler.ts points that one import here).
 *
 * Why: the client imports the module statically to set up an event-stream marshaller when it is
 * constructed, for `InvokeEndpointWithResponseStream`. Loading the module evaluates its codec and
 * loads `node:zlib` (for CRC32): 10 KB of the bundle, and time at every cold start (docs/cold-start.md
 * has the A/B figure), for a function that only ever calls `InvokeEndpoint`.
 *
 * Streaming still works: with no marshaller in the client's config, the SDK's protocol imports the
 * real module on the first streamed call and builds its own (`HttpProtocol.loadEventStreamCapability`
 * in `@smithy/core`). The built handler loads it then from `lazy/`. A marshaller provider passed in
 * the client's config is used as the SDK would use it.
 */

/** What the client's config carries for event streams. */
interface EventStreamSerdeInput {
  eventStreamSerdeProvider?: (options: this) => unknown;
}

/** The client's default provider: none, so the protocol loads the real one on first use (above). */
export const eventStreamSerdeProvider = undefined;

/** As the real resolver: builds the marshaller from the configured provider, when there is one. */
export function resolveEventStreamSerdeConfig<T extends EventStreamSerdeInput>(
  input: T,
): T & { eventStreamMarshaller?: unknown } {
  const provider = input.eventStreamSerdeProvider;
  return provider === undefined ? input : Object.assign(input, { eventStreamMarshaller: provider(input) });
}
