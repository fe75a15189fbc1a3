/** Where a program is on PATH (plus `extraDirs`), as the tests that need Debian tools look for them. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findOnPath(name: string, extraDirs: readonly string[] = []): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(extraDirs)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
