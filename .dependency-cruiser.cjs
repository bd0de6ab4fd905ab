/**
 * The project's dependency rules, checked by `npm run deps:check` (part of `npm test`). Dependencies point
 * one way: middlewares/ build on src/'s leaf modules, and only the composition root (src/pipeline.ts) and
 * the package index bring the two together; what ships (src/, middlewares/, schemas/, infra/, build.mjs)
 * never reaches into the development tree (local/, bench/, test/, scripts/ apart from the build's own).
 *
 * `npm run deps:report` lists every dependency it cruised, one per line, violations marked.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Modules of src/ that a middleware may build on: leaves that know nothing of the pipeline. */
const SRC_LEAVES = [
  '^src/encoder/',
  '^src/http/',
  '^src/source/',
  '^src/xgboost/',
  '^src/sagemaker/errors[.]ts$',
  '^src/options[.]ts$',
  '^src/monotonic-clock[.]ts$',
  '^src/request-state[.]ts$',
  '^src/explanation[.]ts$',
];

/** What ships in the package or the Lambda artifact. */
const SHIPPED = '^(src|middlewares|schemas|infra)/|^build[.]mjs$';

/** The development tree: the offline stack, benchmarks, tests and the tools around them. */
const DEVELOPMENT = '^(local|bench|test|examples|default-model/training)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A cycle, even of types only, means two modules are one concept or one is in the wrong place.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'middlewares-build-on-src-leaves',
      comment:
        'A middleware is composed by users into their own chains: it may build on the leaf modules of src/, ' +
        'never on the pipeline, the backends or the entry points.',
      severity: 'error',
      from: { path: '^middlewares/' },
      to: { path: '^src/', pathNot: SRC_LEAVES },
    },
    {
      name: 'only-the-composition-root-imports-middlewares',
      comment: 'src/pipeline.ts composes the chain, src/index.ts exports the pieces; the rest of src/ is below them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(pipeline|index)[.]ts$' },
      to: { path: '^middlewares/' },
    },
    {
      name: 'shipped-code-stays-out-of-the-development-tree',
      comment: 'The package and the artifact must build and run without the offline stack, benchmarks or tests.',
      severity: 'error',
      from: { path: SHIPPED },
      to: { path: DEVELOPMENT },
    },
    {
      name: 'infra-does-not-load-the-handler',
      comment:
        'cdk synth imports infra/: it takes the handler defaults and metric names from their leaf modules, ' +
        'not the handler with its Powertools, SDK and Middy (test/infra/synth-imports.test.ts checks what Node loads).',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: ['^src/(pipeline|index|lambda|review-classifier)[.]ts$', '^src/backends/'] },
    },
    {
      name: 'shipped-code-uses-no-dev-dependency',
      comment: 'A user installs only dependencies and peers: a devDependency imported by shipped code breaks them.',
      severity: 'error',
      from: { path: '^(src|middlewares|schemas|infra)/', pathNot: '^src/encoder/assembly/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'Every import resolves, on the paths the package and the artifact ship.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^node_modules', '^lib/', '^dist/', '^cdk[.]out', '^coverage/', '^[.]', '^api/'] },
    // TypeScript 7's API lacks what dependency-cruiser needs: swc parses the sources, type-only imports included.
    parser: 'swc',
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@sentiment-lambda/source', 'import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
