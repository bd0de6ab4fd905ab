/**
 * Why a file could not be read, in words a person acts on. Every reader of a user's file (the
 * vocabulary, the model, the CLI's inputs) names the file and gives this reason.
 */

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory, not a file',
};

/** Why a file could not be read: the error's code explained, else its message. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && FS_REASONS[code]) || (error as Error).message;
}
