#!/usr/bin/env node
// Bundles the command (dist/cli.js, as tsc wrote it) in its place, run by `npm run build` after
// tsc: cli.js and, beside it, the chunks it imports when asked (`cli-chunk-*.js`). A start of
// `snyk-mock` loaded ~100 modules of its own and TypeBox's ~300 small ES modules one by one:
// bundled, they are a few files to read and compile, which halves what the server adds to its
// libraries' start-up (bench: start-up rows). TypeBox is bundled in because only this code uses it
// at run time (its registries then live in the bundle alone); every other package stays a package
// (node_modules), loaded as it is. dist/index.js, the in-process API, is not bundled.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const BUNDLED = new Set(['@sinclair/typebox']);
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const cli = `${root}dist/cli.js`;
// the chunks of an earlier build (their names change with their contents)
for (const f of readdirSync(`${root}dist`)) if (f.startsWith('cli-chunk-')) rmSync(`${root}dist/${f}`);
await build({
  entryPoints: [cli],
  outdir: `${root}dist`,
  allowOverwrite: true,
  bundle: true,
  // what the command imports only when asked (the server after its flags are read, the parity
  // command) becomes a chunk of its own, loaded then with the packages it imports (undici); the
  // chunks sit beside cli.js, so paths relative to a module's URL resolve as they do from cli.js
  splitting: true,
  chunkNames: 'cli-chunk-[hash]',
  external,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // the bin keeps its shebang (the entry's first line)
  legalComments: 'none',
  logLevel: 'warning',
});
console.log('dist/cli.js: bundled (TypeBox and the server code), with its cli-chunk-*.js');
