/**
 * Dependencies point one way: middlewares/ build on src/'s leaf modules, and only the composition root
 * (src/pipeline.ts) and the package index bring the two together.
 */
import { spawnSync } from 'node:child_process';
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
  /^src\/request-state\.ts$/,
  /^src\/source\//,
  /^src\/xgboost\//,
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

  it('infra/ takes the handler defaults from their leaf module, not the handler', () => {
    // Act: the metrics middleware may be imported, for the metric names the alarms must match.
    const reachIntoHandler = filesIn('infra').flatMap((file) =>
      imports(file)
        .filter((target) => target === 'src/pipeline.ts' || target === 'src/index.ts')
        .map((target) => `${file} -> ${target}`),
    );

    // Assess
    expect(reachIntoHandler).toEqual([]);
  });

  it('cdk synth, importing infra/, loads no Powertools, SDK client or Middy core (the handler does)', () => {
    // Act: every module each entry loads, through import or require, as Node resolves it
    const runtimeModules = (entry: string): string[] => {
      const script = `
        import { registerHooks } from 'node:module';
        const urls = [];
        registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); urls.push(result.url); return result; } });
        await import(${JSON.stringify(join(root, entry))});
        console.log(JSON.stringify(urls.filter((url) => /@aws-lambda-powertools|client-sagemaker-runtime|@middy[/]core/.test(url))));
      `;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`importing ${entry} failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as string[];
    };
    const infra = runtimeModules('infra/sentiment-api.ts');
    const handler = runtimeModules('src/pipeline.ts');

    // Assess: none for the construct; the handler's own imports show the check sees them
    expect(infra).toEqual([]);
    expect(handler.some((url) => url.includes('@aws-lambda-powertools/metrics'))).toBe(true);
  });
});
