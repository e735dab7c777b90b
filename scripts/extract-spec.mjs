#!/usr/bin/env node
// Writes spec/service-accounts-subset.json: the operations this mock serves, cut out of Snyk's compiled
// REST spec with every component they reference (transitively), nothing rewritten. Usage:
//   node scripts/extract-spec.mjs <path to rest-spec-2025-11-05.json>
import { readFileSync, writeFileSync } from 'node:fs';

/** path → methods served (an operation Snyk has but the mock does not serve stays out). */
const OPERATIONS = {
  '/groups/{group_id}/service_accounts': ['get', 'post'],
  '/groups/{group_id}/service_accounts/{serviceaccount_id}': ['get', 'patch', 'delete'],
  '/groups/{group_id}/service_accounts/{serviceaccount_id}/secrets': ['post'],
  '/orgs/{org_id}/service_accounts': ['get', 'post'],
  '/orgs/{org_id}/service_accounts/{serviceaccount_id}': ['get', 'patch', 'delete'],
  '/orgs/{org_id}/service_accounts/{serviceaccount_id}/secrets': ['post'],
  '/self': ['get'],
  '/orgs': ['get'],
  '/orgs/{org_id}': ['get'],
  '/groups': ['get'],
  '/groups/{group_id}': ['get'],
  '/groups/{group_id}/orgs': ['get'],
};

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/extract-spec.mjs <rest-spec.json>');
  process.exit(2);
}
const full = JSON.parse(readFileSync(source, 'utf8'));

const paths = {};
for (const [path, methods] of Object.entries(OPERATIONS)) {
  const item = full.paths[path];
  if (!item) throw new Error(`no path ${path} in ${source}`);
  paths[path] = Object.fromEntries(
    methods.map((m) => {
      if (!item[m]) throw new Error(`no ${m} ${path} in ${source}`);
      return [m, item[m]];
    }),
  );
}

// every component reachable from the kept operations and from the document's security
const components = {};
const seen = new Set();
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && !seen.has(v)) {
      seen.add(v);
      const [, , kind, name] = v.split('/');
      const target = full.components[kind][name];
      (components[kind] ??= {})[name] = target;
      visit(target);
    } else visit(v);
  }
};
visit(paths);
components.securitySchemes = Object.fromEntries(full.security.flatMap((s) => Object.keys(s)).map((n) => [n, full.components.securitySchemes[n]]));

/** Keys sorted at every level, as the committed extract is written. */
const sorted = (node) => {
  if (Array.isArray(node)) return node.map(sorted);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.keys(node)
      .sort()
      .map((k) => [k, sorted(node[k])]),
  );
};
const doc = sorted({
  components,
  info: full.info,
  openapi: full.openapi,
  paths,
  security: full.security,
  servers: full.servers,
  tags: [],
  'x-snyk-api-version': full['x-snyk-api-version'],
});
const target = new URL('../spec/service-accounts-subset.json', import.meta.url);
// non-ASCII escaped and no final newline, as the extract was first written (Python's json.dump)
writeFileSync(
  target,
  JSON.stringify(doc, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
);
console.log(`wrote ${target.pathname}: ${Object.values(paths).reduce((n, i) => n + Object.keys(i).length, 0)} operations`);
