#!/usr/bin/env node
// Writes fixtures/schema.json from the TypeBox Fixtures schema (run through `npm run fixtures:schema`,
// which builds dist/ first). `--check` exits 1 instead when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderFixturesSchema } from '../dist/build/fixtures-schema.js';

const target = new URL('../fixtures/schema.json', import.meta.url);
const text = renderFixturesSchema();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('fixtures/schema.json is stale: run npm run fixtures:schema');
    process.exit(1);
  }
  console.log('fixtures/schema.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target.pathname}`);
}
