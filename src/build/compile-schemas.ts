// The step of `npm run build` after tsc: builds the app (every route, whatever plugin adds it) with
// the compilers in write mode, so each route's validator and serializer is compiled now and written
// to dist/compiled-schemas/, where a server loads them at start. A schema that does not compile
// fails here, and so fails the build (and `npm test`, which builds first).
import { mkdirSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from '../app.js';
import { COMPILED_DIR, compiledSchemas } from '../plugins/compiled-schemas.js';

/** Compiles every route's functions into `dir` (emptied first); returns the files written. */
export async function compileSchemas(dir: string = COMPILED_DIR): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const schemas = compiledSchemas('write', dir);
  const app = await build(undefined, { logger: false, compiledSchemas: schemas });
  try {
    await app.ready();
  } finally {
    await app.close();
  }
  return schemas.files;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const files = await compileSchemas();
    console.log(`compiled ${files.length} route validators and serializers into ${COMPILED_DIR}`);
  } catch (err) {
    console.error(`schema compilation failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
