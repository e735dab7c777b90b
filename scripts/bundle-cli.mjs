#!/usr/bin/env node
// Bundles the command (dist/cli.js, as tsc wrote it) into one file in its place, run by
// `npm run build` after tsc. A start of `snyk-mock` loaded ~100 modules of its own and TypeBox's
// ~300 small ES modules one by one: bundled, they are one file to read and compile, which halves
// what the server adds to its libraries' start-up (bench: start-up rows). TypeBox is bundled in
// because only this code uses it at run time (its registries then live in the bundle alone);
// every other package stays a package (node_modules), loaded as it is. dist/index.js, the
// in-process API, is not bundled.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const BUNDLED = new Set(['@sinclair/typebox']);
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const cli = `${root}dist/cli.js`;
await build({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  external,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // the bin keeps its shebang (the entry's first line)
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('dist/cli.js: bundled (TypeBox and the server code)');
