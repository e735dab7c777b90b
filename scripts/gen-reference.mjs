#!/usr/bin/env node
// Writes the generated parts of the docs (the settings table, the admin routes with their bodies)
// between their markers, from the built schemas (run through `npm run docs:reference`, which builds
// dist/ first). test/build/reference.test.ts fails when the committed text is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { GENERATED, renderAdminReference, renderSettingsTable, replaceGenerated } from '../dist/build/reference.js';

const parts = [
  [GENERATED.settings, renderSettingsTable()],
  [GENERATED.admin, await renderAdminReference()],
];
for (const [{ page, name }, content] of parts) {
  const file = new URL(`../${page}`, import.meta.url);
  const before = readFileSync(file, 'utf8');
  const after = replaceGenerated(before, name, content);
  if (after !== before) writeFileSync(file, after);
  console.log(`${page}: ${name} ${after === before ? 'unchanged' : 'written'}`);
}
