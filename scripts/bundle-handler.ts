/**
 * How a Lambda entry is bundled for the nodejs24.x runtime: esbuild's settings and the plugins that
 * keep the cold start short. build.mjs bundles src/lambda.ts with {@link bundleHandler}; tests bundle
 * their own entries with it (test/build/).
 */
import { createRequire, isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, type BuildResult, build, type Metafile, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** esbuild turns CommonJS dependencies' require() of Node built-ins into calls that need a real require. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/**
 * Built-ins that a dependency imports at its top level, but that the handler never calls.
 * - `fs/promises`: the SDK's shared-config-file loader. `createSageMakerClient` takes those settings
 *   from the environment, so the loader never runs. Node loads the module with readline and its
 *   file-watching modules (docs/cold-start.md has the A/B figure).
 * - `crypto`: Powertools' Logger imports `randomInt` for debug-log sampling, which is off unless
 *   configured. A function scoring in process would load it for nothing (docs/cold-start.md has the A/B
 *   figure); the SageMaker client loads it when it first signs a request.
 */
export const DEFERRED_BUILTINS: ReadonlySet<string> = new Set(['fs/promises', 'crypto']);

/**
 * Loads Node built-ins with require() instead of ES module imports. Importing a built-in as an ES
 * module builds a namespace from all its exports (and node:http's lazy fetch/WebSocket getters then
 * load undici); require() hands over the module object (docs/cold-start.md has the A/B figure).
 * The bundled code still sees ES module semantics (esbuild's CommonJS interop), so nothing else changes.
 *
 * The built-ins in `deferred` ({@link DEFERRED_BUILTINS}) are required on the first read of one of their exports
 * instead of at load.
 */
export function builtinsViaRequire(deferred: ReadonlySet<string> = DEFERRED_BUILTINS): Plugin {
  return {
    name: 'builtins-via-require',
    setup(build) {
      build.onResolve({ filter: /^(node:)?[a-z_]+(\/[a-z_]+)?$/ }, (args) => {
        // The shim's own require() must reach the real built-in, and require() calls are fine as they are.
        if (args.namespace === 'builtin-require' || args.kind === 'require-call') return undefined;
        const name = args.path.replace(/^node:/, '');
        return isBuiltin(name) ? { path: name, namespace: 'builtin-require' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
        contents: deferred.has(args.path)
          ? deferredBuiltin(args.path)
          : `module.exports = require('node:${args.path}');`,
        loader: 'js',
      }));
    },
  };
}

const requireHere = createRequire(import.meta.url);

/**
 * A stand-in for a built-in whose exports are getters that require the real module when first read.
 * Its export names are the building Node's: the same major version as the nodejs24.x runtime (the
 * `node` devDependency). esbuild's interop copies them onto the importer's namespace as getters too,
 * so importing reads none of them.
 */
function deferredBuiltin(name: string): string {
  const exportNames = Object.keys(requireHere(`node:${name}`));
  const getters = exportNames.map((key) => `get ${JSON.stringify(key)}() { return load()[${JSON.stringify(key)}]; }`);
  return `let real; const load = () => (real ??= require('node:${name}'));
module.exports = { ${getters.join(', ')} };`;
}

/**
 * Points the SageMaker Runtime client's import of `@smithy/core/event-streams` at
 * src/sagemaker/lazy-event-streams.ts: the real module, needed only for response streaming, which
 * this handler never uses, costs 10 KB and cold-start time (see that file). Its other importers, among
 * them the SDK's own on-demand import of it, get the real module.
 */
const lazyEventStreams: Plugin = {
  name: 'lazy-event-streams',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
      args.kind === 'import-statement' && /[/\\]@aws-sdk[/\\]client-sagemaker-runtime[/\\]/.test(args.importer)
        ? { path: join(root, 'src/sagemaker/lazy-event-streams.ts') }
        : undefined,
    );
  },
};

/** Shared esbuild settings for the Lambda runtime. */
export const lambdaBuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  chunkNames: 'chunks/[name]-[hash]',
  mainFields: ['module', 'main'],
  legalComments: 'none',
  metafile: true,
  absWorkingDir: root,
  logLevel: 'warning',
  banner: { js: ESM_REQUIRE_BANNER },
  plugins: [builtinsViaRequire(), lazyEventStreams],
} satisfies BuildOptions;

/** The directory, beside the entry, of the packages it imports on demand. */
export const LAZY_DIRECTORY = 'lazy';

const RESOLVING = Symbol('lazy-packages resolving');

/**
 * Keeps what loads on demand out of what loads at cold start. The handler imports some packages only
 * when needed (the S3 client for s3:// vocabularies, the SDK's other credential providers). With code
 * splitting, esbuild puts every module that such a package shares with the handler into chunks the
 * handler loads at start, and that takes in code the handler reaches only through index re-exports it
 * never uses (the SDK's XML and query protocols, which S3 and STS speak). So the handler is bundled as
 * one file, each package it imports dynamically becomes an external `./lazy/<name>.mjs`, and a second
 * build bundles those, split among themselves. They carry their own copy of the SDK code they use,
 * and meet the handler's only through plain objects (credentials, responses). What that saves at cold
 * start against one split build: docs/cold-start.md.
 *
 * @param lazyEntries filled with `<name>` -> the package's resolved path, for the second build
 */
function lazyPackages(lazyEntries: Map<string, string>): Plugin {
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: /^[@a-z]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === RESOLVING) return undefined;
        if (isBuiltin(args.path.replace(/^node:/, ''))) return undefined;
        // build.resolve runs this hook again: the marker lets that call through to esbuild's resolver.
        const resolved = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: 'dynamic-import',
          pluginData: RESOLVING,
        });
        if (resolved.errors.length > 0) {
          return { errors: [{ text: `lazy-packages: cannot resolve ${args.path} from ${args.resolveDir}` }] };
        }
        const name = args.path.replace(/^@/, '').replace(/[^a-z0-9]+/gi, '-');
        const known = lazyEntries.get(name);
        if (known !== undefined && known !== resolved.path) {
          // Two packages (or two versions of one) under one file name would load the wrong code.
          return { errors: [{ text: `lazy-packages: ${known} and ${resolved.path} would both be lazy/${name}.mjs` }] };
        }
        lazyEntries.set(name, resolved.path);
        return { path: `./${LAZY_DIRECTORY}/${name}.mjs`, external: true };
      });
    },
  };
}

/** What {@link bundleHandler} bundles, and where. */
export interface BundleHandlerOptions {
  /** The entry file, relative to the repository root. */
  entry: string;
  /** The output directory (absolute): `index.mjs` and `lazy/` go there. */
  outdir: string;
}

/** esbuild's results, metafiles included. */
export interface BundleHandlerResult {
  /** The entry's build: `index.mjs`. */
  entry: BuildResult<{ metafile: true }>;
  /** The packages it imports on demand, in `lazy/`; an empty metafile when there are none. */
  lazy: Pick<BuildResult<{ metafile: true }>, 'metafile'>;
}

/**
 * Bundles one Lambda entry as the artifact is bundled: `<outdir>/index.mjs`, and the packages it
 * imports dynamically in `<outdir>/lazy/` (see lazyPackages).
 */
export async function bundleHandler({ entry, outdir }: BundleHandlerOptions): Promise<BundleHandlerResult> {
  const lazyEntries = new Map<string, string>();
  const entryBuild = await build({
    ...lambdaBuildOptions,
    // The project's own modules that the handler imports on demand (the SageMaker backend and its SDK
    // client, the model readers) become chunks loaded when first needed; what they share with the handler
    // stays one module, in a chunk both load.
    splitting: true,
    plugins: [lazyPackages(lazyEntries), ...lambdaBuildOptions.plugins],
    entryPoints: { index: join(root, entry) },
    outdir,
    outExtension: { '.js': '.mjs' },
  });
  const lazy =
    lazyEntries.size === 0
      ? { metafile: { inputs: {}, outputs: {} } }
      : await build({
          ...lambdaBuildOptions,
          splitting: true,
          entryPoints: Object.fromEntries(lazyEntries),
          outdir: join(outdir, LAZY_DIRECTORY),
          outExtension: { '.js': '.mjs' },
        });
  return { entry: entryBuild, lazy };
}

/** What the runtime loads at cold start: the entry and every chunk it imports statically. */
export interface ColdStartLoad {
  /** Their size in bytes: what build-budget.json bounds. */
  bytes: number;
  /** The packages (or source folders) that contribute most of it, largest first: `[name, bytes]`. */
  largest: [string, number][];
}

/**
 * Sizes what loads at cold start from an esbuild metafile.
 * @param entryPath the entry's output path as the metafile names it (relative to the repository root)
 */
export function loadedAtColdStart(metafile: Metafile, entryPath: string, count = 8): ColdStartLoad {
  const loaded = new Set<string>();
  const visit = (path: string): void => {
    if (loaded.has(path)) return;
    loaded.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryPath);
  let bytes = 0;
  const byPackage = new Map<string, number>();
  for (const output of loaded) {
    const { bytes: outputBytes = 0, inputs = {} } = metafile.outputs[output] ?? {};
    bytes += outputBytes;
    for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match?.[1] ?? input.split('/').slice(0, 2).join('/');
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return { bytes, largest: [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, count) };
}
