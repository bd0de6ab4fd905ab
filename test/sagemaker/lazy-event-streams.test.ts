import { describe, expect, it } from 'vitest';
import { eventStreamSerdeProvider, resolveEventStreamSerdeConfig } from '../../src/sagemaker/lazy-event-streams.ts';

describe('the lazy stand-in for @smithy/core/event-streams (built handler only)', () => {
  it('gives the client no default marshaller, so the SDK loads the real module on the first streamed call', () => {
    // Prepare
    const config = { region: 'eu-west-1', eventStreamSerdeProvider };

    // Act
    const resolved = resolveEventStreamSerdeConfig(config);

    // Assess
    expect(resolved).toBe(config);
    expect(resolved).not.toHaveProperty('eventStreamMarshaller');
  });

  it('builds the marshaller from a provider passed in the client config, as the real resolver does', () => {
    // Prepare
    const marshaller = { serialize: () => undefined, deserialize: () => undefined };
    const config = { region: 'eu-west-1', eventStreamSerdeProvider: (options: object) => ({ ...marshaller, options }) };

    // Act
    const resolved = resolveEventStreamSerdeConfig(config);

    // Assess
    expect(resolved.eventStreamMarshaller).toMatchObject({ options: config });
  });
});
