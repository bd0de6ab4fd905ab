/**
 * The lockfile of the consumer project in consumer.test.ts, taken from this repository's own: the
 * consumer installs the packed tarball and its dependencies at exactly the versions `npm ci` already
 * fetched here, so `npm ci --offline` installs it from npm's cache, with no network.
 *
 * (`npm install --offline <tarball>` cannot: it asks for full registry documents, and `npm ci` caches
 * only the abbreviated ones.)
 */

/** A package entry of a v3 lockfile. */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  inBundle?: boolean;
  [key: string]: unknown;
}

/** A v3 lockfile. */
export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry>;
}

/** The packed package, as `npm pack --json` describes it. */
export interface PackedPackage {
  name: string;
  version: string;
  integrity: string;
  /** The tarball, relative to the consumer project (`file:` spec). */
  spec: string;
  /** Its package.json. */
  manifest: LockEntry & { dependencies?: Record<string, string> };
}

// Lockfile flags that describe this repository's tree, not the consumer's (where everything is a dependency).
const TREE_FLAGS = ['dev', 'optional', 'devOptional', 'peer'];

/** Where Node would find `name` from the package at `from` (`node_modules/a/node_modules/b`), in `packages`. */
function resolveFrom(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

/** The names a package needs installed beside it: its dependencies and required peers. */
function neededNames(entry: LockEntry): { name: string; optional: boolean }[] {
  const peers = Object.keys(entry.peerDependencies ?? {}).map((name) => ({
    name,
    optional: entry.peerDependenciesMeta?.[name]?.optional === true,
  }));
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...peers,
  ];
}

/**
 * The consumer's lockfile: the packed package (from its tarball), `rootDependencies` (name -> exact
 * version, each as locked here), and everything they need, at the same paths as in `repository`.
 * @throws when a needed package is not in the repository's lockfile (it would need the network)
 */
export function consumerLockfile(
  repository: Lockfile,
  packed: PackedPackage,
  rootDependencies: Record<string, string>,
  consumerName: string,
): Lockfile {
  const source = repository.packages;
  const packedPath = `node_modules/${packed.name}`;
  const packages: Record<string, LockEntry> = {
    '': {
      name: consumerName,
      version: '1.0.0',
      dependencies: { [packed.name]: packed.spec, ...rootDependencies },
    },
  };
  const { scripts: _scripts, devDependencies: _dev, files: _files, exports: _exports, ...manifest } = packed.manifest;
  packages[packedPath] = { ...manifest, resolved: packed.spec, integrity: packed.integrity };
  // The packed package's dependencies resolve as the repository's own root dependencies do.
  const lookup: Record<string, LockEntry> = { ...source, [packedPath]: packages[packedPath] as LockEntry };

  const pending: { path: string; entry: LockEntry }[] = [
    { path: packedPath, entry: packages[packedPath] as LockEntry },
  ];
  for (const [name, version] of Object.entries(rootDependencies)) {
    const path = `node_modules/${name}`;
    const entry = source[path];
    if (entry?.version !== version) {
      throw new Error(`${name}@${version} is not what the repository locks (${entry?.version ?? 'absent'})`);
    }
    pending.push({ path, entry });
  }
  const seen = new Set<string>();
  while (pending.length > 0) {
    const { path, entry } = pending.pop() as { path: string; entry: LockEntry };
    if (seen.has(path)) continue;
    seen.add(path);
    if (path !== packedPath) {
      packages[path] = Object.fromEntries(Object.entries(entry).filter(([key]) => !TREE_FLAGS.includes(key)));
    }
    for (const { name, optional } of neededNames(entry)) {
      const found = resolveFrom(lookup, path, name);
      if (found === undefined) {
        if (optional) continue;
        throw new Error(`${path} needs ${name}, which the repository's lockfile does not hold`);
      }
      pending.push({ path: found, entry: lookup[found] as LockEntry });
    }
  }
  return { name: consumerName, version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
