// Fixtures → store data. Deterministic: the same fixtures (and start time) give the same ids and
// listings. Clear-text demo secrets in fixtures become digests here and are never kept.
import { readFile } from 'node:fs/promises';
import { durationMs } from '../settings/clock.js';
import { Value } from '@sinclair/typebox/value';
import { Fixtures, type ParsedFixtures } from '../schemas/fixtures.js';
import { credentialRecord, duplicateKeys, emptyData, type CredentialRecord, type ServiceAccountRecord, type StoreData } from '../schemas/store.js';
import { isGrantProblem, resolveGrant } from '../schemas/grants.js';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, digest } from '../snyk/credentials.js';
import type { Level } from '../snyk/permissions.js';
import { checkJsonValue, JsonInputError, replaceLoneSurrogates } from '../snyk/json-input.js';
import { builtinRoles, orgRecord, roleRecord, userRecord } from './records.js';

/** Resolves a fixture time: ISO, or relative to `now` ("+30d", "-2h"). */
function fixtureTime(value: string, now: Date): string {
  const offset = /^[+-]/.test(value) ? durationMs(value) : undefined;
  if (offset !== undefined) return new Date(now.getTime() + offset).toISOString();
  return new Date(value).toISOString();
}

/** A UUID-shaped client id derived from the account id, for fixtures that give none. */
function fixtureClientId(accountId: string): string {
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

/** Where each parsed document came from (a file path, "request body"…), for seedData's errors. */
const SOURCES = new WeakMap<ParsedFixtures, string>();

/** Validates a fixtures document (defaults applied); throws FixtureError with JSON pointers. */
export function parseFixtures(doc: unknown, source = 'fixtures'): ParsedFixtures {
  // bounded before anything recursive reads it; lone surrogates become U+FFFD in the copy kept
  try {
    checkJsonValue(doc);
  } catch (err) {
    if (err instanceof JsonInputError) throw new FixtureError([{ pointer: err.pointer, detail: `the document ${err.detail}` }], source);
    throw err;
  }
  const copy: unknown = structuredClone(doc);
  replaceLoneSurrogates(copy);
  const withDefaults = Value.Default(Fixtures, copy);
  if (!Value.Check(Fixtures, withDefaults)) {
    const errors = [...Value.Errors(Fixtures, withDefaults)].slice(0, 20).map((e) => ({ pointer: e.path, detail: e.message }));
    throw new FixtureError(errors, source);
  }
  SOURCES.set(withDefaults as ParsedFixtures, source);
  return withDefaults as ParsedFixtures;
}

export async function loadFixturesFile(path: string): Promise<ParsedFixtures> {
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
  /** what relative fixture times ("+30d") count from, and the creation time of seeded credentials */
  now: Date;
}

/**
 * Builds store data from fixtures; checks references so a bad seed fails with a clear message.
 * (--demo-token is applied on top, by demo-token.ts, as on a data file that already exists.)
 */
export function seedData(fx: ParsedFixtures, opts: SeedOptions): StoreData {
  const data = emptyData();
  const errors: { pointer: string; detail: string }[] = [];
  const now = opts.now;
  const t = (v: string) => fixtureTime(v, now);
  const cred = (
    secret: string,
    kind: CredentialRecord['kind'],
    principal_type: CredentialRecord['principal_type'],
    principal_id: string,
    expires_at?: string,
  ) => data.credentials.push(credentialRecord(secret, { kind, principal_type, principal_id, created_at: now.toISOString(), expires_at }));

  const roles = new Map(builtinRoles().map((r) => [r.id, r]));
  for (const r of fx.roles) {
    roles.set(r.id, roleRecord({ ...r, created_at: r.created_at && t(r.created_at), updated_at: r.updated_at && t(r.updated_at) }));
  }
  data.roles = [...roles.values()];
  data.groups = fx.groups.map((g) => ({ ...g }));
  const groups = new Set(data.groups.map((g) => g.id));
  // explicit slugs first, so a slug derived from a name steps around them (a slug given twice is
  // reported by duplicateKeys below)
  const slugs = new Set(fx.orgs.flatMap((o) => (o.slug === undefined ? [] : [o.slug])));
  fx.orgs.forEach((o, i) => {
    if (o.group_id && !groups.has(o.group_id)) errors.push({ pointer: `/orgs/${i}/group_id`, detail: `no group ${o.group_id}` });
    const org = orgRecord({ ...o, created_at: o.created_at && t(o.created_at), updated_at: o.updated_at && t(o.updated_at) }, (s) => slugs.has(s));
    slugs.add(org.slug);
    data.orgs.push(org);
  });
  const orgs = new Set(data.orgs.map((o) => o.id));

  const lookup = {
    hasScope: (level: Level, id: string) => (level === 'Group' ? groups : orgs).has(id),
    role: (id: string) => roles.get(id),
    roles: () => roles.values(),
  };
  fx.users.forEach((u, i) => {
    const { token, roles: grants, ...user } = u;
    data.users.push(userRecord(user));
    if (token) cred(token, 'user_token', 'user', u.id);
    grants.forEach((g, j) => {
      const m = resolveGrant(u.id, g, lookup);
      if (isGrantProblem(m)) errors.push({ pointer: `/users/${i}/roles/${j}${m.field ? `/${m.field}` : ''}`, detail: m.detail });
      else data.memberships.push(m);
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
      sa.access_token_ttl_seconds = s.access_token_ttl_seconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
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

  errors.push(...duplicateKeys(data));
  if (errors.length) throw new FixtureError(errors, SOURCES.get(fx) ?? 'fixtures');
  return data;
}
