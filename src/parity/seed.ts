// The fixtures a replay starts the mock on, read from the transcript itself: the user of /rest/self,
// the groups and orgs of the discovery reads, the roles of the v1 role list (and any role id a
// create used), and the service accounts that were there before the recording (listed, never
// created by it). The recording's token becomes a token of that user.
import type { Fixtures, FixtureServiceAccount } from '../index.js';
import type { Transcript } from './transcript.js';

type Json = Record<string, unknown>;
const ok = (status: number) => status >= 200 && status < 300;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const ALL = ['read', 'create', 'edit', 'delete'] as const;

/** Whose actions a role of that name grants, for a role only known by its v1 entry. */
function actionsOf(name: string): (typeof ALL)[number][] {
  if (/admin/i.test(name)) return [...ALL];
  if (/view|audit|read/i.test(name)) return ['read'];
  return [];
}

export interface Seed {
  fixtures: Fixtures;
  /** every id seeded: the same in upstream and mock */
  ids: string[];
}

export function seedFrom(t: Transcript, token: string): Seed {
  const groups = new Map<string, { id: string; name: string }>();
  const orgs = new Map<string, NonNullable<Fixtures['orgs']>[number]>();
  const roles = new Map<string, NonNullable<Fixtures['roles']>[number]>();
  const accounts = new Map<string, FixtureServiceAccount>();
  const created = new Set<string>();
  let user: Json | undefined;

  for (const ex of t.exchanges) {
    const { request: rq, response: rs } = ex;
    const body = rs.body.kind === 'json' ? rs.body.value : undefined;
    if (rq.method === 'POST' && rs.status === 201) {
      const id = str(obj(obj(body).data).id);
      if (id) created.add(id);
    }
    if (rq.method !== 'GET' || !ok(rs.status) || body === undefined) continue;
    const data = obj(body).data;
    const items = Array.isArray(data) ? data.map(obj) : [obj(data)];
    const p = rq.path;
    if (/^\/rest\/self$/.test(p) && items[0]?.type === 'user') user = items[0];
    else if (/^\/rest\/groups(\/[^/]+)?$/.test(p)) for (const g of items) groups.set(String(g.id), { id: String(g.id), name: String(obj(g.attributes).name) });
    else if (/^\/rest\/(groups\/[^/]+\/)?orgs(\/[^/]+)?$/.test(p)) {
      for (const o of items) {
        const a = obj(o.attributes);
        orgs.set(String(o.id), {
          id: String(o.id),
          name: String(a.name),
          ...(str(a.slug) ? { slug: str(a.slug) } : {}),
          ...(str(a.group_id) ? { group_id: str(a.group_id) } : {}),
          ...(str(a.created_at) ? { created_at: str(a.created_at) } : {}),
        });
      }
    } else if (/^\/v1\/group\/[^/]+\/roles$/.test(p) && Array.isArray(body)) {
      for (const r of body.map(obj)) {
        const name = String(r.name);
        roles.set(String(r.publicId), {
          id: String(r.publicId),
          name,
          level: /^group/i.test(name) ? 'Group' : 'Org',
          actions: actionsOf(name),
          ...(str(r.description) ? { description: str(r.description) } : {}),
          ...(typeof r.customRole === 'boolean' ? { custom: r.customRole } : {}),
          ...(str(r.created) ? { created_at: str(r.created) } : {}),
        });
      }
    }
    const sa = /^\/rest\/(orgs|groups)\/([^/]+)\/service_accounts(\/[^/]+)?$/.exec(p);
    // an org's account in a group's list does not say its org: only its org's list seeds it
    const seedable = (item: Json) => item.type === 'service_account' && !(sa?.[1] === 'groups' && obj(item.attributes).level === 'Org');
    if (sa) for (const item of items) if (seedable(item)) accounts.set(String(item.id), account(item, sa[1], sa[2]));
  }
  // roles a create used that the role list did not show
  for (const ex of t.exchanges) {
    const m = /^\/rest\/(orgs|groups)\/[^/]+\/service_accounts$/.exec(ex.request.path);
    const roleId = m && ex.request.body.kind === 'json' ? str(obj(obj(obj(ex.request.body.value).data).attributes).role_id) : undefined;
    if (roleId && ok(ex.response.status) && !roles.has(roleId))
      roles.set(roleId, { id: roleId, name: `Role ${roleId.slice(0, 8)}`, level: m![1] === 'orgs' ? 'Org' : 'Group', actions: [...ALL] });
  }
  for (const [id] of accounts) if (created.has(id)) accounts.delete(id);
  // groups and orgs that were called but not listed
  for (const ex of t.exchanges) {
    const m = /^\/rest\/(orgs|groups)\/([0-9a-f-]{36})\//.exec(ex.request.path);
    if (!m || !ok(ex.response.status)) continue;
    if (m[1] === 'groups' && !groups.has(m[2])) groups.set(m[2], { id: m[2], name: `Group ${m[2].slice(0, 8)}` });
    if (m[1] === 'orgs' && !orgs.has(m[2]))
      orgs.set(m[2], { id: m[2], name: `Org ${m[2].slice(0, 8)}`, ...(groups.size === 1 ? { group_id: [...groups.keys()][0] } : {}) });
  }

  const adminRole = (level: 'Group' | 'Org') => [...roles.values()].find((r) => r.level === level && r.actions.length === ALL.length)?.id;
  const grants: { role_id: string; group_id?: string; org_id?: string }[] = [];
  const groupAdmin = adminRole('Group');
  const orgAdmin = adminRole('Org');
  if (groupAdmin) for (const g of groups.keys()) grants.push({ role_id: groupAdmin, group_id: g });
  if (orgAdmin) for (const o of orgs.values()) if (!o.group_id || !groupAdmin) grants.push({ role_id: orgAdmin, org_id: o.id });
  const u = obj(user?.attributes);
  const userId = str(user?.id) ?? '00000000-0000-4000-8000-00000000beef';
  const defaultOrg = str(u.default_org_context);
  const fixtures: Fixtures = {
    groups: [...groups.values()],
    orgs: [...orgs.values()],
    roles: [...roles.values()],
    users: [
      {
        id: userId,
        name: str(u.name) ?? 'Parity replay',
        email: str(u.email) ?? 'parity@example.com',
        username: str(u.username) ?? 'parity',
        ...(str(u.avatar_url) ? { avatar_url: str(u.avatar_url) } : {}),
        ...(defaultOrg && orgs.has(defaultOrg) ? { default_org_id: defaultOrg } : {}),
        token,
        demo: true,
        roles: grants,
      } as NonNullable<Fixtures['users']>[number],
    ],
    service_accounts: [...accounts.values()],
  };
  return { fixtures, ids: [userId, ...groups.keys(), ...orgs.keys(), ...roles.keys(), ...accounts.keys()] };
}

function account(item: Json, scope: string, owner: string): FixtureServiceAccount {
  const a = obj(item.attributes);
  const level = a.level === 'Group' || scope === 'groups' ? 'Group' : 'Org';
  return {
    id: String(item.id),
    name: String(a.name),
    level,
    ...(level === 'Org' ? { org_id: owner } : { group_id: owner }),
    role_id: String(a.role_id),
    auth_type: a.auth_type as FixtureServiceAccount['auth_type'],
    ...(str(a.created_at) ? { created_at: str(a.created_at) } : {}),
    ...(str(a.client_id) ? { client_id: str(a.client_id) } : {}),
    ...(str(a.jwks_url) ? { jwks_url: str(a.jwks_url) } : {}),
    ...(typeof a.access_token_ttl_seconds === 'number' ? { access_token_ttl_seconds: a.access_token_ttl_seconds } : {}),
    ...(str(a.access_token_expires_at) ? { access_token_expires_at: str(a.access_token_expires_at) } : {}),
  };
}
