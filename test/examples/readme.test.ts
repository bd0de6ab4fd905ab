import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../../src/config.ts';

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

describe('docs/configuration.md', () => {
  it('documents every variable the deployed entry reads, beside the option it sets', () => {
    // Prepare
    const rows = read('docs/configuration.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'));

    // Act
    const undocumented = Object.entries(ENVIRONMENT_VARIABLES)
      .filter(
        ([name, { option }]) => !rows.some((row) => row.startsWith(`| \`${name}\``) && row.includes(`${option}\``)),
      )
      .map(([name]) => name);

    // Assess
    expect(undocumented).toEqual([]);
  });
});

describe('README benchmark figures', () => {
  /** The cells of the Markdown table whose first header cell is `first`, row by row (alignment aside). */
  const tableAfter = (markdown: string, first: string): string[][] => {
    const rows = markdown.split('\n').map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim().replace(/^-+$/, '-'))
        : undefined,
    );
    const start = rows.findIndex((row) => row?.[0] === first);
    const end = rows.findIndex((row, at) => at > start && row === undefined);
    return start < 0 ? [] : (rows.slice(start, end < 0 ? undefined : end) as string[][]);
  };

  it('are the targets table of the latest npm run bench report, unedited', () => {
    // Prepare
    const header = 'Target';

    // Act
    const report = tableAfter(read('bench/results/latest.md'), header);
    const readme = tableAfter(read('README.md'), header);

    // Assess
    expect(report.length).toBeGreaterThan(2);
    expect(readme).toEqual(report);
  });

  it("quote the report's held-out accuracy of the default model and the lexicon model, unedited", () => {
    // Act
    const accuracy = read('bench/results/latest.md')
      .split('\n')
      .find((line) => line.startsWith('Accuracy on the '));

    // Assess
    expect(accuracy).toMatch(/XGBoost default model [\d.]+%.*lexicon model [\d.]+%/);
    expect(read('README.md')).toContain(accuracy);
  });
});
