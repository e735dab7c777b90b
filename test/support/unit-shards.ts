// `npm run test:unit`: the in-process test files, shared out among SHARDS processes that each import
// their files one after another, so the sources load once per process instead of once per file
// (docs/decisions/0008-unit-shards.md). `npm test` still runs every file in a process of its own.
import t from 'tap';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SHARDS = 2;
const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Files that start processes, browsers or Prism, or check what a fresh process has loaded. */
const OWN_PROCESS = [
  /^(cli|package|healthcheck|https|npm-start|startup-modules)\.test\.ts$/,
  /^(conformance|docs|e2e|examples|fuzz|logging|parity|ui)\//,
  /^plugins\/(admin-guard-browser|compiled-schemas)\.test\.ts$/,
];

/** The in-process test files, relative to test/, sorted. */
const unitFiles = (): string[] =>
  readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && !OWN_PROCESS.some((re) => re.test(f)))
    .sort();

/** Imports shard `index`'s files (every SHARDS-th), each announced by a comment. */
export async function runShard(index: number): Promise<void> {
  for (const file of unitFiles().filter((_, i) => i % SHARDS === index)) {
    t.comment(`test/${file}`);
    await import(pathToFileURL(`${TEST_DIR}${file}`).href);
  }
}
