// What the JSON file holds: people can open it, so it is plain arrays of records with credential
// digests only. The same schema validates a state document re-imported through the admin API.
import './formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { digest } from '../snyk/credentials.js';
import { ALL_ACTIONS } from '../snyk/permissions.js';
import { AuthType, LevelName } from './service-account.js';

/** 2: orgs gained slug, is_personal, access_requests_enabled and timestamps; roles description, custom and timestamps (store/migrate.ts reads 1). */
export const SCHEMA_VERSION = 2;

/** Ids as stored: UUIDs mostly, but membership ids are `user:Level:scope` and credential ids digests. */
const Id = Type.String({ minLength: 1 });
export const Action = Type.Union(ALL_ACTIONS.map((a) => Type.Literal(a)));

export const GroupRecord = Type.Object({
  id: Id,
  name: Type.String(),
  /** the tenant the group belongs to (getOrg's expand=tenant names it) */
  tenant_id: Type.Optional(Id),
});
export const OrgRecord = Type.Object({
  id: Id,
  name: Type.String(),
  /** unique across orgs */
  slug: Type.String({ minLength: 1 }),
  group_id: Type.Optional(Id),
  /** true exactly when the org has no group (the spec: "independent, that is, not part of a group") */
  is_personal: Type.Boolean(),
  access_requests_enabled: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const RoleRecord = Type.Object({
  id: Id,
  name: Type.String(),
  level: LevelName,
  /** service_account.<action> permissions the role grants */
  actions: Type.Array(Action),
  description: Type.String(),
  /** false for Snyk's predefined roles */
  custom: Type.Boolean(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export const UserRecord = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  username: Type.String(),
  avatar_url: Type.Optional(Type.String()),
  default_org_id: Type.Optional(Id),
  /** the user whose token SNYK_MOCK_DEMO_TOKEN replaces */
  demo: Type.Optional(Type.Boolean()),
});
export const MembershipRecord = Type.Object({ id: Id, user_id: Id, level: LevelName, scope_id: Id, role_id: Id });
export const ServiceAccountRecord = Type.Object({
  id: Id,
  level: LevelName,
  /** the org (level Org) or group (level Group) that owns the account */
  owner_id: Id,
  name: Type.String(),
  auth_type: AuthType,
  role_id: Id,
  created_at: Type.String(),
  client_id: Type.Optional(Id),
  jwks_url: Type.Optional(Type.String()),
  /** an inline JWKS (fixtures, offline demos) used instead of fetching jwks_url */
  jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) })),
  access_token_ttl_seconds: Type.Optional(Type.Number()),
  access_token_expires_at: Type.Optional(Type.String()),
});
const CredentialKind = Type.Union([
  Type.Literal('user_token'),
  Type.Literal('api_key'),
  Type.Literal('client_secret'),
  Type.Literal('access_token'),
  /** an access token the mock's /oauth2/token issued (the whole JWT's digest); accepted with bearer only */
  Type.Literal('oauth_access_token'),
]);
export const CredentialRecord = Type.Object({
  /** SHA-256 hex digest of the secret: the secret itself is never stored */
  id: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  kind: CredentialKind,
  principal_type: Type.Union([Type.Literal('user'), Type.Literal('service_account')]),
  principal_id: Id,
  created_at: Type.String(),
  expires_at: Type.Optional(Type.String()),
});

/** The stored form of a secret: its digest as the id, never the secret itself. */
export function credentialRecord(secret: string, fields: Omit<CredentialRecord, 'id' | 'expires_at'> & { expires_at?: string }): CredentialRecord {
  const { expires_at, ...rest } = fields;
  return { id: digest(secret), ...rest, ...(expires_at ? { expires_at } : {}) };
}

export const StoreData = Type.Object({
  schemaVersion: Type.Literal(SCHEMA_VERSION),
  groups: Type.Array(GroupRecord),
  orgs: Type.Array(OrgRecord),
  roles: Type.Array(RoleRecord),
  users: Type.Array(UserRecord),
  memberships: Type.Array(MembershipRecord),
  service_accounts: Type.Array(ServiceAccountRecord),
  credentials: Type.Array(CredentialRecord),
});

export type GroupRecord = Static<typeof GroupRecord>;
export type OrgRecord = Static<typeof OrgRecord>;
export type RoleRecord = Static<typeof RoleRecord>;
export type UserRecord = Static<typeof UserRecord>;
export type MembershipRecord = Static<typeof MembershipRecord>;
export type ServiceAccountRecord = Static<typeof ServiceAccountRecord>;
export type CredentialRecord = Static<typeof CredentialRecord>;
export type StoreData = Static<typeof StoreData>;

export type Collections = {
  groups: GroupRecord;
  orgs: OrgRecord;
  roles: RoleRecord;
  users: UserRecord;
  memberships: MembershipRecord;
  service_accounts: ServiceAccountRecord;
  credentials: CredentialRecord;
};
export type CollectionName = keyof Collections;
export const COLLECTIONS: readonly CollectionName[] = ['groups', 'orgs', 'roles', 'users', 'memberships', 'service_accounts', 'credentials'];

export function emptyData(): StoreData {
  return { schemaVersion: SCHEMA_VERSION, groups: [], orgs: [], roles: [], users: [], memberships: [], service_accounts: [], credentials: [] };
}

/**
 * Records sharing a unique key: an id within a collection, or an org slug. One problem each,
 * pointing at the later record.
 */
export function duplicateKeys(data: StoreData): { pointer: string; detail: string }[] {
  const problems: { pointer: string; detail: string }[] = [];
  for (const c of COLLECTIONS) {
    const seen = new Set<string>();
    (data[c] as { id: string }[]).forEach((r, i) => {
      if (seen.has(r.id)) problems.push({ pointer: `/${c}/${i}/id`, detail: `duplicate id ${r.id} in ${c}` });
      seen.add(r.id);
    });
  }
  const slugs = new Set<string>();
  data.orgs.forEach((o, i) => {
    if (slugs.has(o.slug)) problems.push({ pointer: `/orgs/${i}/slug`, detail: `duplicate slug "${o.slug}"` });
    slugs.add(o.slug);
  });
  return problems;
}
