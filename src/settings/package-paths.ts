// Files of the package (fixtures, package.json, what `npm run build` writes to dist/), found from
// the nearest folder above this module that holds package.json: this module sits two folders below
// it in src/ and dist/, but one below it in dist/cli.js, the bundle of the command
// (scripts/bundle-cli.mjs), so a fixed relative path would be wrong in one of them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

const ROOT = packageRoot();

/** The absolute path of `relative` (e.g. 'dist/ui/') inside the package. */
export const packagePath = (relative: string): string => join(ROOT, relative);
