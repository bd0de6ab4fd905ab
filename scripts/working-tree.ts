/**
 * A copy of this repository as git would commit it (working-tree content, untracked files that are not
 * ignored), or of one revision, with this repository's node_modules linked in: for building a package
 * or an artifact somewhere else than here, where other suites and benchmarks build dist/ and lib/ too.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Writes the working tree (`revision` `.`, the default) or a revision (anything `git archive` takes) into `to`.
 * @throws when git fails, e.g. on an unknown revision
 */
export function copyRepository(to: string, revision = '.'): void {
  mkdirSync(to, { recursive: true });
  if (revision === '.') {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(root, file)));
    for (const file of files) {
      mkdirSync(dirname(join(to, file)), { recursive: true });
      copyFileSync(join(root, file), join(to, file));
    }
  } else {
    const archive = execFileSync('git', ['archive', '--format=tar', revision], { cwd: root, maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', to], { input: archive });
  }
  symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}
