// Which test files need a process of their own (they start processes, a browser or Prism, or check
// what a fresh process has loaded); the others run one after another in the shards (unit-shards.ts,
// docs/decisions/0008-unit-shards.md). `node test/support/test-files.mjs` prints the former for tap.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
const OWN_PROCESS = [
  /^test\/(cli|package|healthcheck|https|npm-start|startup-modules)\.test\.ts$/,
  /^test\/(conformance|docs|e2e|examples|fuzz|logging|parity|ui)\//,
  /^test\/plugins\/(admin-guard-browser|compiled-schemas)\.test\.ts$/,
];

const testFiles = () =>
  readdirSync(TEST_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f}`)
    .sort();
const ownProcess = (file) => OWN_PROCESS.some((re) => re.test(file));

/** The test files (paths from the repository root) that run in the shards. */
export const inProcessFiles = () => testFiles().filter((f) => !ownProcess(f));
/** The test files that tap runs each in a process of its own. */
export const ownProcessFiles = () => testFiles().filter(ownProcess);

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(ownProcessFiles().join(' '));
