/**
 * Dependencies point one way: middlewares/ build on src/'s leaf modules, and only the composition root
 * (src/pipeline.ts) and the package index bring the two together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

/** The leaf modules of src/ a middleware may import. */
const LEAVES = [
  /^src\/encoder\//,
  /^src\/http\//,
  /^src\/sagemaker\/errors\.ts$/,
  /^src\/options\.ts$/,
  /^src\/monotonic-clock\.ts$/,
  /^src\/review-request\.ts$/,
];

/** The repository files `file` imports (relative specifiers only), as paths from the root. */
function imports(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gms)].map((match) =>
    relative(root, join(root, file, '..', match[1] as string)),
  );
}

const filesIn = (directory: string) =>
  readdirSync(join(root, directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('assembly/'))
    .map((file) => `${directory}/${file}`);

describe('layering', () => {
  it('middlewares/ import only the leaf modules of src/ (encoder, http, SageMaker errors, options)', () => {
    // Act
    const reachIntoSrc = filesIn('middlewares').flatMap((file) =>
      imports(file)
        .filter((target) => target.startsWith('src/') && !LEAVES.some((leaf) => leaf.test(target)))
        .map((target) => `${file} -> ${target}`),
    );

    // Assess
    expect(reachIntoSrc).toEqual([]);
  });

  it('in src/, only the composition root and the package index import middlewares/', () => {
    // Act
    const importers = filesIn('src').filter((file) =>
      imports(file).some((target) => target.startsWith('middlewares/')),
    );

    // Assess
    expect(importers.sort()).toEqual(['src/index.ts', 'src/pipeline.ts']);
  });

  it('infra/ takes the handler defaults from their leaf module, not the handler: synth loads no Powertools or SDK client', () => {
    // Act: the metrics middleware may be imported, for the metric names the alarms must match.
    const reachIntoHandler = filesIn('infra').flatMap((file) =>
      imports(file)
        .filter((target) => target === 'src/pipeline.ts' || target === 'src/index.ts')
        .map((target) => `${file} -> ${target}`),
    );

    // Assess
    expect(reachIntoHandler).toEqual([]);
  });
});
