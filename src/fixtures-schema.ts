// fixtures/schema.json: the JSON Schema of the fixtures format, rendered from the TypeBox `Fixtures`
// schema (npm run fixtures:schema writes it; a test fails when the committed file is stale). Members
// with a default (e.g. `roles`) are optional to whoever writes fixtures, so they are not `required`.
import { Fixtures } from './schemas/fixtures.js';

type Node = { [k: string]: unknown };

function optionalDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(optionalDefaults);
  if (node === null || typeof node !== 'object') return node;
  const out: Node = {};
  for (const [k, v] of Object.entries(node)) out[k] = optionalDefaults(v);
  const props = out.properties as Record<string, Node> | undefined;
  if (props && Array.isArray(out.required)) {
    out.required = (out.required as string[]).filter((k) => props[k]?.default === undefined);
    if ((out.required as string[]).length === 0) delete out.required;
  }
  return out;
}

export function renderFixturesSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'snyk-mock fixtures',
    description:
      'Seed data of snyk-mock: groups, orgs, roles, users (with their roles and API tokens) and service accounts. ' +
      'Secrets given here are demo credentials: the store keeps their SHA-256 digests only. Generated from src/schemas/fixtures.ts by npm run fixtures:schema.',
    ...(optionalDefaults(JSON.parse(JSON.stringify(Fixtures))) as Node),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
