#!/usr/bin/env node
// Builds the dashboard (ui/) into dist/ui: one bundled, minified script and stylesheet (Preact and
// everything else included, nothing fetched at run time) plus index.html. Run by `npm run build`.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const src = fileURLToPath(new URL('../ui/', import.meta.url));
const out = fileURLToPath(new URL('../dist/ui/', import.meta.url));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: `${src}main.tsx` },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  // browsers with CSS light-dark() (the themes), i.e. those of 2024 on
  target: ['chrome123', 'firefox120', 'safari17.5'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
cpSync(`${src}index.html`, `${out}index.html`);
const sizes = Object.entries(result.metafile.outputs).map(([file, o]) => `${file.split('/').pop()} ${(o.bytes / 1024).toFixed(1)} KiB`);
console.log(`dist/ui: index.html, ${sizes.join(', ')}`);
