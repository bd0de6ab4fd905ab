/**
 * The dependency rules (.dependency-cruiser.cjs): the tree keeps them, and each rule catches what it is
 * for, on a small tree made to break them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const CONFIG = join(root, '.dependency-cruiser.cjs');
const DEPCRUISE = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** The rules' violations in the tree at `cwd`, over `paths`. */
function violations(cwd: string, paths: readonly string[]): Violation[] {
  const run = spawnSync(process.execPath, [DEPCRUISE, ...paths, '--config', CONFIG, '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.stdout === '') throw new Error(`depcruise failed (${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const scratch = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('dependency rules', () => {
  it('hold in the repository: no cycle, middlewares on src leaves only, nothing shipped reaching the development tree', () => {
    // Act
    const found = violations(root, [
      'src',
      'middlewares',
      'schemas',
      'infra',
      'local',
      'bench',
      'scripts',
      'default-model',
      'examples',
      'test',
      'build.mjs',
    ]);

    // Assess
    expect(found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('catch a cycle of types, a middleware on the pipeline, src/ on a middleware, shipped code on local/, infra/ on the handler', () => {
    // Prepare: one file per broken rule
    const files: Record<string, string> = {
      'src/a.ts': "import type { B } from './b.ts';\nexport type A = B | 1;\n",
      'src/b.ts': "import type { A } from './a.ts';\nexport type B = A | 2;\n",
      'src/pipeline.ts': 'export const createHandler = () => 0;\n',
      'src/leaf.ts': "import { m } from '../middlewares/m.ts';\nexport const leaf = m;\n",
      'middlewares/m.ts': "import { createHandler } from '../src/pipeline.ts';\nexport const m = createHandler;\n",
      'local/stack.ts': 'export const stack = 1;\n',
      'src/uses-local.ts': "import { stack } from '../local/stack.ts';\nexport const x = stack;\n",
      'infra/construct.ts': "import { createHandler } from '../src/pipeline.ts';\nexport const y = createHandler;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      writeFileSync(join(scratch, file), text);
    }

    // Act
    const rules = new Set(violations(scratch, ['src', 'middlewares', 'local', 'infra']).map((v) => v.rule.name));

    // Assess
    expect([...rules].sort()).toEqual([
      'infra-does-not-load-the-handler',
      'middlewares-build-on-src-leaves',
      'no-cycles',
      'only-the-composition-root-imports-middlewares',
      'shipped-code-stays-out-of-the-development-tree',
    ]);
  });
});
