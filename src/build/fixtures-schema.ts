// fixtures/schema.json: the JSON Schema of the fixtures format, rendered from the TypeBox `Fixtures`
// schema (npm run fixtures:schema writes it; a test fails when the committed file is stale). Every
// collection is optional there, as in the TypeBox schema (parseFixtures fills in the defaults).
import { Fixtures } from '../schemas/fixtures.js';

export function renderFixturesSchema(): string {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'snyk-mock fixtures',
    description:
      'Seed data of snyk-mock: groups, orgs, roles, users (with their roles and API tokens) and service accounts. ' +
      'Secrets given here are demo credentials: the store keeps their SHA-256 digests only. Generated from src/schemas/fixtures.ts by npm run fixtures:schema.',
    ...(JSON.parse(JSON.stringify(Fixtures)) as Record<string, unknown>),
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
