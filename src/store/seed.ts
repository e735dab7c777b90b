// Fixtures → store data. Deterministic: the same fixtures (and start time) give the same ids and
// listings. Clear-text demo secrets in fixtures become digests here and are never kept.
import { readFile } from 'node:fs/promises';
import { durationMs } from '../clock.js';
import { Value } from '@sinclair/typebox/value';
import { Fixtures } from '../schemas/fixtures.js';
import { emptyData, type CredentialRecord, type ServiceAccountRecord, type StoreData } from '../schemas/store.js';
import { credentialRecord, digest } from '../snyk/credentials.js';
import { builtinRoles, orgRecord, roleRecord } from './records.js';

/** Resolves a fixture time: ISO, or relative to `now` ("+30d", "-2h"). */
export function fixtureTime(value: string, now: Date): string {
  const offset = /^[+-]/.test(value) ? durationMs(value) : undefined;
  if (offset !== undefined) return new Date(now.getTime() + offset).toISOString();
  return new Date(value).toISOString();
}

/** A UUID-shaped client id derived from the account id, for fixtures that give none. */
export function fixtureClientId(accountId: string): string {
  const h = digest(`client_id:${accountId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class FixtureError extends Error {
  constructor(
    readonly errors: { pointer: string; detail: string }[],
    source: string,
  ) {
    super(`invalid fixtures (${source}): ${errors.map((e) => `${e.pointer || '/'}: ${e.detail}`).join('; ')}`);
    this.name = 'FixtureError';
  }
}

/** Validates a fixtures document (defaults applied); throws FixtureError with JSON pointers. */
export function parseFixtures(doc: unknown, source = 'fixtures'): Fixtures {
  const withDefaults = Value.Default(Fixtures, structuredClone(doc));
  if (!Value.Check(Fixtures, withDefaults)) {
    const errors = [...Value.Errors(Fixtures, withDefaults)].slice(0, 20).map((e) => ({ pointer: e.path, detail: e.message }));
    throw new FixtureError(errors, source);
  }
  return withDefaults;
}

export async function loadFixturesFile(path: string): Promise<Fixtures> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FixtureError([{ pointer: '', detail: `cannot read ${path}: ${(err as Error).message}` }], path);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FixtureError([{ pointer: '', detail: `not valid JSON: ${(err as Error).message}` }], path);
  }
  return parseFixtures(doc, path);
}

export interface SeedOptions {
  now: Date;
  /** replaces the token of the user marked `demo` */
  demoToken?: string;
}

/** Builds store data from fixtures; checks references so a bad seed fails with a clear message. */
export function seedData(fx: Fixtures, opts: SeedOptions): StoreData {
  const data = emptyData();
  const errors: { pointer: string; detail: string }[] = [];
  const now = opts.now;
  const t = (v: string) => fixtureTime(v, now);
  const cred = (secret: string, kind: CredentialRecord['kind'], principal_type: CredentialRecord['principal_type'], principal_id: string, expires_at?: string) =>
    data.credentials.push(credentialRecord(secret, { kind, principal_type, principal_id, created_at: now.toISOString(), expires_at }));

  const roles = new Map(builtinRoles().map((r) => [r.id, r]));
  for (const r of fx.roles) {
    roles.set(r.id, roleRecord({ ...r, created_at: r.created_at && t(r.created_at), updated_at: r.updated_at && t(r.updated_at) }));
  }
  data.roles = [...roles.values()];
  data.groups = fx.groups.map((g) => ({ ...g }));
  const groups = new Set(data.groups.map((g) => g.id));
  // explicit slugs first, so a slug derived from a name steps around them
  const slugs = new Set<string>();
  fx.orgs.forEach((o, i) => {
    if (o.slug === undefined) return;
    if (slugs.has(o.slug)) errors.push({ pointer: `/orgs/${i}/slug`, detail: `duplicate slug "${o.slug}"` });
    slugs.add(o.slug);
  });
  fx.orgs.forEach((o, i) => {
    if (o.group_id && !groups.has(o.group_id)) errors.push({ pointer: `/orgs/${i}/group_id`, detail: `no group ${o.group_id}` });
    const org = orgRecord({ ...o, created_at: o.created_at && t(o.created_at), updated_at: o.updated_at && t(o.updated_at) }, (s) => slugs.has(s));
    slugs.add(org.slug);
    data.orgs.push(org);
  });
  const orgs = new Set(data.orgs.map((o) => o.id));

  fx.users.forEach((u, i) => {
    const { token, roles: grants, ...user } = u;
    data.users.push(user);
    const secret = u.demo && opts.demoToken ? opts.demoToken : token;
    if (secret) cred(secret, 'user_token', 'user', u.id);
    grants.forEach((g, j) => {
      const role = roles.get(g.role_id);
      const level = g.group_id ? 'Group' : 'Org';
      const scope = g.group_id ?? g.org_id;
      const ptr = `/users/${i}/roles/${j}`;
      if (!scope || (g.group_id && g.org_id)) errors.push({ pointer: ptr, detail: 'give exactly one of group_id or org_id' });
      else if (!(level === 'Group' ? groups : orgs).has(scope)) errors.push({ pointer: ptr, detail: `no ${level.toLowerCase()} ${scope}` });
      else if (!role || role.level !== level) errors.push({ pointer: `${ptr}/role_id`, detail: `no ${level} role ${g.role_id}` });
      else data.memberships.push({ id: `${u.id}:${level}:${scope}`, user_id: u.id, level, scope_id: scope, role_id: g.role_id });
    });
  });

  const names = new Set<string>();
  fx.service_accounts.forEach((s, i) => {
    const ptr = `/service_accounts/${i}`;
    const owner = s.level === 'Org' ? s.org_id : s.group_id;
    if (!owner || !(s.level === 'Org' ? orgs : groups).has(owner)) {
      errors.push({ pointer: ptr, detail: `a ${s.level} account needs an existing ${s.level === 'Org' ? 'org_id' : 'group_id'}` });
      return;
    }
    if (roles.get(s.role_id)?.level !== s.level) errors.push({ pointer: `${ptr}/role_id`, detail: `no ${s.level} role ${s.role_id}` });
    const nameKey = `${s.level}:${owner}\0${s.name}`;
    if (names.has(nameKey)) errors.push({ pointer: `${ptr}/name`, detail: `duplicate name "${s.name}" in its ${s.level.toLowerCase()}` });
    names.add(nameKey);
    const sa: ServiceAccountRecord = {
      id: s.id,
      level: s.level,
      owner_id: owner,
      name: s.name,
      auth_type: s.auth_type,
      role_id: s.role_id,
      created_at: t(s.created_at ?? '2024-01-01T00:00:00Z'),
    };
    if (s.auth_type === 'oauth_client_secret' || s.auth_type === 'oauth_private_key_jwt') {
      // deterministic: the same fixtures give the same client ids (derived from the account id)
      sa.client_id = s.client_id ?? fixtureClientId(s.id);
      sa.access_token_ttl_seconds = s.access_token_ttl_seconds ?? 3600;
    }
    if (s.auth_type === 'oauth_private_key_jwt') {
      if (!s.jwks_url && !s.jwks) errors.push({ pointer: ptr, detail: 'an oauth_private_key_jwt account needs jwks_url or jwks' });
      sa.jwks_url = s.jwks_url ?? 'https://localhost/.well-known/jwks.json';
      if (s.jwks) sa.jwks = s.jwks;
    }
    if (s.auth_type === 'access_token') {
      sa.access_token_expires_at = t(s.access_token_expires_at ?? '+365d');
      if (s.access_token) cred(s.access_token, 'access_token', 'service_account', s.id, sa.access_token_expires_at);
    }
    if (s.auth_type === 'api_key' && s.api_key) cred(s.api_key, 'api_key', 'service_account', s.id);
    if (s.auth_type === 'oauth_client_secret') for (const secret of s.client_secrets ?? []) cred(secret, 'client_secret', 'service_account', s.id);
    data.service_accounts.push(sa);
  });

  const ids = new Set<string>();
  for (const [coll, list] of Object.entries(data) as [string, unknown][]) {
    if (!Array.isArray(list)) continue;
    list.forEach((r: { id: string }, i) => {
      if (ids.has(`${coll}:${r.id}`)) errors.push({ pointer: `/${coll}/${i}/id`, detail: `duplicate id ${r.id}` });
      ids.add(`${coll}:${r.id}`);
    });
  }
  if (errors.length) throw new FixtureError(errors, 'fixtures');
  return data;
}

