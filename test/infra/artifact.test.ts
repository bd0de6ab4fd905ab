import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ARTIFACT, lambdaArtifactPath, PACKAGE_ROOT } from '../../infra/artifact.ts';

describe('LAMBDA_ARTIFACT', () => {
  it('names a handler exported by the entry file', () => {
    // Prepare
    const [module, exported] = LAMBDA_ARTIFACT.handler.split('.');

    // Act
    const entryModule = path.basename(LAMBDA_ARTIFACT.entryFile, '.mjs');

    // Assess
    expect(module).toBe(entryModule);
    expect(exported).toBe('handler');
  });

  it('resolves its paths from the package root (this repository), wherever the process runs', () => {
    // Prepare
    const cwd = process.cwd();
    process.chdir(path.parse(cwd).root);

    try {
      // Act
      const directory = lambdaArtifactPath(LAMBDA_ARTIFACT.directory);

      // Assess
      expect(PACKAGE_ROOT).toBe(path.resolve(import.meta.dirname, '../..'));
      expect(existsSync(path.join(PACKAGE_ROOT, 'package.json'))).toBe(true);
      expect(directory).toBe(path.join(PACKAGE_ROOT, 'dist', 'lambda'));
    } finally {
      process.chdir(cwd);
    }
  });
});
