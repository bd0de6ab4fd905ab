#!/usr/bin/env node
/**
 * Builds the deployable Lambda artifact and the CLI.
 *
 *   node build.mjs [--vocabulary FILE] [--naive] [--outdir DIR]
 *
 * With --outdir, the zip and metafile go beside it as DIR.zip and DIR.meta.json, and no CLI is built.
 *
 * - dist/lambda/index.mjs  the handler (ESM, nodejs24.x, minified, source map), from src/lambda.ts
 * - dist/lambda/lazy/      the packages it imports only when needed
 * - dist/lambda/vocabulary.json  the vocabulary it loads (default: the offline stack's default model's), as
 *                          its words in column order
 * - dist/lambda.zip        the same directory, zipped, for uploads that do not go through CDK
 * - dist/cli.mjs           the `sentiment-lambda` command (package bin)
 *
 * How the handler is bundled, and what keeps its cold start short, is in scripts/bundle-handler.ts.
 *
 * Request validators are generated first (Ajv standalone code, schemas/validators/): the bundle
 * neither ships nor runs the Ajv compiler. The build prints the bundle size and its largest inputs
 * (from esbuild's metafile) and fails when the bundle exceeds build-budget.json.
 *
 * `--naive` builds the comparison bundle of the cold-start benchmark instead: the same handler with
 * the schema compiled at load and the SDK's default set-up (bench/naive-entry.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { LAMBDA_ARTIFACT } from './infra/artifact.ts';
import { bundleHandler, ESM_REQUIRE_BANNER } from './scripts/bundle-handler.ts';
import { writeValidators } from './scripts/generate-validators.ts';
import { createZip } from './scripts/zip-writer.ts';
import { Vocabulary } from './src/encoder/vocabulary.ts';

const root = dirname(fileURLToPath(import.meta.url));

/** Outputs the runtime loads at cold start: the entry and every chunk it imports statically. */
function loadedOutputs(metafile, entryPath) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryPath);
  return [...seen];
}

function largestInputs(metafile, outputs, count = 8) {
  const byPackage = new Map();
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output].inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match ? match[1] : input.split('/').slice(0, 2).join('/');
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, count);
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function buildLambda(args, log) {
  const outdir = resolve(root, args.outdir ?? (args.naive ? 'dist/naive' : LAMBDA_ARTIFACT.directory));
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  if (!args.naive) writeValidators();

  const entry = args.naive ? 'bench/naive-entry.ts' : 'src/lambda.ts';
  const { entry: result, lazy } = await bundleHandler({ entry, outdir, naive: args.naive });
  // The metafile stays beside the bundle (outside the zip) for `esbuild --analyze`-style digging.
  writeFileSync(`${outdir}.meta.json`, JSON.stringify(result.metafile));
  const entryPath = relative(root, join(outdir, LAMBDA_ARTIFACT.entryFile));
  const loaded = loadedOutputs(result.metafile, entryPath);
  const bytes = loaded.reduce((sum, path) => sum + result.metafile.outputs[path].bytes, 0);

  // The vocabulary travels with the function; validate it now rather than at the first cold start.
  const vocabularyText = readFileSync(join(root, args.vocabulary), 'utf8');
  const vocabulary = Vocabulary.fromJSON(vocabularyText);
  // Bundled as its words in column order: the same vocabulary, parsed and validated in about a third
  // of the time of the {"word": index} object (measured: 1.2 vs 3.5 ms for 3,326 words), at every cold start.
  writeFileSync(join(outdir, LAMBDA_ARTIFACT.vocabularyFile), JSON.stringify(vocabulary.wordsByColumn));

  log(`${relative(root, outdir)}/${LAMBDA_ARTIFACT.entryFile}: ${kb(bytes)} loaded at cold start`);
  log(`  vocabulary: ${args.vocabulary} (${vocabulary.size} words)`);
  log('  largest inputs:');
  for (const [name, size] of largestInputs(result.metafile, loaded)) log(`    ${kb(size).padStart(10)}  ${name}`);

  if (!args.naive) {
    const files = [LAMBDA_ARTIFACT.entryFile, `${LAMBDA_ARTIFACT.entryFile}.map`, LAMBDA_ARTIFACT.vocabularyFile];
    for (const output of Object.keys(lazy.metafile.outputs)) files.push(relative(outdir, join(root, output)));
    const zip = createZip(files.map((name) => ({ name, data: readFileSync(join(outdir, name)) })));
    // dist/lambda -> dist/lambda.zip (LAMBDA_ARTIFACT.zipFile); another --outdir DIR -> DIR.zip.
    writeFileSync(`${outdir}.zip`, zip);
    log(`${relative(root, outdir)}.zip: ${kb(zip.length)}`);

    const { lambdaBundleBytes } = JSON.parse(readFileSync(join(root, 'build-budget.json'), 'utf8'));
    if (bytes > lambdaBundleBytes) {
      console.error(`Bundle is ${kb(bytes)}, over the ${kb(lambdaBundleBytes)} budget in build-budget.json.`);
      process.exit(1);
    }
    log(`  budget: ${kb(bytes)} of ${kb(lambdaBundleBytes)}`);
  }
  return bytes;
}

async function buildCli(log) {
  await build({
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    entryPoints: [join(root, 'src/cli/main.ts')],
    outfile: join(root, 'dist/cli.mjs'),
    banner: { js: ESM_REQUIRE_BANNER }, // src/cli/main.ts carries the shebang
  });
  log('dist/cli.mjs: the sentiment-lambda command');
}

const { values: args } = parseArgs({
  options: {
    vocabulary: { type: 'string', default: 'local/model/default-vocabulary.json' },
    naive: { type: 'boolean', default: false },
    outdir: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const log = args.quiet ? () => {} : (...line) => console.log(...line);
await buildLambda(args, log);
if (!args.naive && args.outdir === undefined) await buildCli(log);
