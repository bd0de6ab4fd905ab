import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/composed-handler.mjs exactly, the file the consumer test runs from the installed package', () => {
    // Prepare
    const example = read('examples/composed-handler.mjs');

    // Act
    const blocks = [...read('README.md').matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]);

    // Assess
    expect(blocks).toContain(example);
  });
});
