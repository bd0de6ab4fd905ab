/**
 * What cdk synth loads at run time: importing infra/ must not load the handler's Powertools, SDK client or
 * Middy core. The dependency rules (.dependency-cruiser.cjs) forbid the imports; this checks what Node
 * actually loads, through every import and require.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('cdk synth imports', () => {
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
