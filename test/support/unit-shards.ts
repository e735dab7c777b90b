// The in-process test files, shared out among SHARDS processes that each import their files one
// after another, so the sources load once per process instead of once per file
// (docs/decisions/0008-unit-shards.md). Which files: test-files.mjs.
import t from 'tap';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inProcessFiles } from './test-files.mjs';

const SHARDS = 2;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Imports shard `index`'s files (every SHARDS-th), each announced by a comment. */
export async function runShard(index: number): Promise<void> {
  // tap's per-file limit is for one file; a shard holds about 27 (about 30 s alone)
  t.setTimeout(600_000);
  for (const file of inProcessFiles().filter((_, i) => i % SHARDS === index)) {
    t.comment(file);
    await import(pathToFileURL(`${ROOT}${file}`).href);
  }
}
