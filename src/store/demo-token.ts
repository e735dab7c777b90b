// --demo-token (SNYK_MOCK_DEMO_TOKEN): the API token of the demo user, the one marked `"demo": true`.
// The one rule, wherever a store gets its data: a fresh seed, an existing data file, a reset or a
// fixtures seed all end with the demo user holding exactly this token (its other tokens replaced).
import type { Change } from './state.js';
import type { State } from './state.js';
import { credentialRecord } from '../schemas/store.js';
import { digest } from '../snyk/credentials.js';

/** The demo user of fixtures or store data. */
export const demoUser = <U extends { demo?: boolean }>(users: readonly U[]): U | undefined => users.find((u) => u.demo);

/** The changes that make `token` the demo user's only API token: none when it is already, or without a demo user. */
export function demoTokenChanges(state: State, token: string | undefined, now: Date): Change[] {
  const user = token === undefined ? undefined : demoUser(state.data.users);
  if (!user || token === undefined) return [];
  const id = digest(token);
  const tokens = (state.credentialsByPrincipal.get(user.id) ?? []).filter((c) => c.kind === 'user_token');
  const changes: Change[] = tokens.filter((c) => c.id !== id).map((c) => ({ op: 'del', coll: 'credentials', id: c.id }));
  if (!tokens.some((c) => c.id === id)) {
    changes.push({
      op: 'put',
      coll: 'credentials',
      value: credentialRecord(token, { kind: 'user_token', principal_type: 'user', principal_id: user.id, created_at: now.toISOString() }),
    });
  }
  return changes;
}
