// The /self document of a principal: a user's profile, or a service account's name and, for org
// accounts, its org as the default context.
import type { SelfResponse } from '../schemas/self.js';
import type { Store } from '../store/store.js';
import type { Principal } from './principals.js';
import { JSONAPI } from '../snyk/json-document.js';

const DEFAULT_AVATAR = 'https://snyk.io/avatar.png';

export function selfDocument(store: Store, p: Principal, version: string): SelfResponse {
  const links = { self: `/self?version=${encodeURIComponent(version)}` };
  if (p.type === 'user') {
    const u = p.user;
    const org = u.default_org_id ?? [...(store.state.membershipsByUser.get(u.id) ?? [])].find((m) => m.level === 'Org')?.scope_id;
    return {
      jsonapi: JSONAPI,
      data: {
        id: u.id,
        type: 'user',
        attributes: {
          name: u.name,
          email: u.email,
          username: u.username,
          avatar_url: u.avatar_url ?? DEFAULT_AVATAR,
          ...(org ? { default_org_context: org } : {}),
        },
      },
      links,
    };
  }
  const a = p.account;
  return {
    jsonapi: JSONAPI,
    data: { id: a.id, type: 'service_account', attributes: { name: a.name, ...(a.level === 'Org' ? { default_org_context: a.owner_id } : {}) } },
    links,
  };
}
