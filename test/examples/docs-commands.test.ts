/**
 * The commands README.md and docs/ give run on the machine a newcomer has: every one an npm script
 * (npm scripts run the project's Node 24 from node_modules/.bin), none a `.ts` file handed to whatever
 * `node` is on the PATH, which fails before Node 22.18 (ERR_UNKNOWN_FILE_EXTENSION).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const DOCUMENTS = [
  'README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

/** Every match of `pattern` in the documents, as `file: match`. */
const occurrences = (pattern: RegExp): string[] =>
  DOCUMENTS.flatMap((file) => [...read(file).matchAll(pattern)].map((match) => `${file}: ${match[0]}`));

describe('commands in README.md and docs/', () => {
  it('never run a .ts file with node', () => {
    // Act
    const found = occurrences(/\bnode\s+(?:--?\S+\s+)*[\w./-]+\.ts\b/g);

    // Assess
    expect(found).toEqual([]);
  });

  it('use npx only for the installed package, whose command is JavaScript', () => {
    // Act
    const found = occurrences(/\bnpx\s+\S+/g).filter((text) => !/npx sentiment-lambda\b/.test(text));

    // Assess
    expect(found).toEqual([]);
  });

  it('name only npm scripts package.json has', () => {
    // Act
    const missing = occurrences(/\bnpm run ([\w:.-]+)/g).filter(
      (text) => !scripts.includes(text.replace(/^.*npm run /, '')),
    );

    // Assess
    expect(missing).toEqual([]);
    expect(occurrences(/\bnpm run [\w:.-]+/g).length).toBeGreaterThan(10);
  });
});
