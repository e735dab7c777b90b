// Files of the package (fixtures, package.json, what `npm run build` writes to dist/), found from
// this module, which sits one folder below the package root in src/ (tests) and dist/ alike, and
// in dist/cli.js, the bundle `npm run build` makes of the command (scripts/bundle-cli.mjs): a path
// relative to the module that asks would be wrong from the bundle.
import { fileURLToPath } from 'node:url';

/** The absolute path of `relative` (e.g. 'dist/ui/') inside the package. */
export const packagePath = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));
