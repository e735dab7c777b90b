// Large fixtures for the dashboard's paging tests: the default seed plus `accounts` api_key accounts
// in acme-backend (each with a known key) and `users` extra users.
import { readFileSync } from 'node:fs';
import type { ParsedFixtures } from '../../src/schemas/fixtures.js';
import { IDS } from '../helper.js';

/** fixtures/default.json, which gives every collection. */
export const defaultFixtures = (): ParsedFixtures =>
  JSON.parse(readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8')) as ParsedFixtures;

const uuid = (prefix: string, i: number) => `${prefix}${i.toString(16).padStart(12, '0')}`;

/** The name of the i-th extra account (0-based): sorts in creation order. */
export const bulkName = (i: number) => `bulk-${String(i).padStart(5, '0')}`;

export function bulkFixtures({ accounts = 0, users = 0 }: { accounts?: number; users?: number }): ParsedFixtures {
  const fx = defaultFixtures();
  // older than every seeded account: the bulk accounts come first in their org's list
  const start = Date.parse('2020-01-01T00:00:00Z');
  for (let i = 0; i < accounts; i++) {
    fx.service_accounts.push({
      id: uuid('b0000000-0000-4000-8000-', i),
      name: bulkName(i),
      level: 'Org',
      org_id: IDS.backend,
      role_id: IDS.roles.orgAdmin,
      auth_type: 'api_key',
      // one second apart: the list order is creation order
      created_at: new Date(start + i * 1000).toISOString(),
      api_key: uuid('b1000000-0000-4000-8000-', i),
    });
  }
  for (let i = 0; i < users; i++) {
    fx.users.push({ id: uuid('c0000000-0000-4000-8000-', i), name: `User ${i}`, email: `user${i}@example.com`, username: `user-${i}`, roles: [] });
  }
  return fx;
}
