// The fixtures format: what a seed (default.json, demo sets, admin `seed`) is written in. Secrets
// may be given in clear here (known demo credentials); they are stored as digests only.
import './formats.js';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Uuid } from './common.js';
import { AuthType, CreateAttributes, LevelName } from './service-account.js';
import { Action, UserRecord } from './store.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../snyk/slugs.js';

/** An ISO date-time, or a time relative to start-up such as "+30d", "-2h", "+15m" (so seeded expiries never go stale). */
const FixtureTime = Type.String({
  pattern: '^([+-]\\d+[smhd]|\\d{4}-\\d{2}-\\d{2}T.+)$',
  description: 'ISO date-time, or relative to start-up: +30d, -2h, +15m, +10s',
});

const FixtureGrant = Type.Object(
  { role_id: Uuid(), group_id: Type.Optional(Uuid()), org_id: Type.Optional(Uuid()) },
  { additionalProperties: false, description: 'A role on one group (covering its orgs) or one org: give exactly one of group_id / org_id' },
);

const FixtureOrg = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    group_id: Type.Optional(Uuid()),
    slug: Type.Optional(
      Type.String({
        pattern: SLUG_PATTERN,
        maxLength: SLUG_MAX_LENGTH,
        description: 'unique; default: from the name ("Acme Web" → "acme-web", with -2, -3… when taken)',
      }),
    ),
    access_requests_enabled: Type.Optional(Type.Boolean({ description: 'default false' })),
    created_at: Type.Optional(FixtureTime),
    updated_at: Type.Optional(Type.String({ pattern: FixtureTime.pattern, description: 'default: created_at' })),
  },
  { additionalProperties: false, description: 'is_personal is derived: true exactly when there is no group_id' },
);

const FixtureRole = Type.Object(
  {
    id: Uuid(),
    name: Type.String(),
    level: LevelName,
    actions: Type.Array(Action, { description: 'service-account actions the role grants' }),
    description: Type.Optional(Type.String({ description: "default: the predefined role's, else the name" })),
    custom: Type.Optional(Type.Boolean({ description: 'default: false for the predefined roles (fixed ids), true for any other' })),
    created_at: Type.Optional(FixtureTime),
    updated_at: Type.Optional(Type.String({ pattern: FixtureTime.pattern, description: 'default: created_at' })),
  },
  { additionalProperties: false },
);

export const FixtureServiceAccount = Type.Object(
  {
    id: Uuid(),
    name: Type.String({ minLength: 1 }),
    level: LevelName,
    org_id: Type.Optional(Uuid()),
    group_id: Type.Optional(Uuid()),
    role_id: Uuid(),
    auth_type: AuthType,
    created_at: Type.Optional(FixtureTime),
    api_key: Type.Optional(Type.String({ minLength: 1, description: 'known api key (api_key accounts)' })),
    client_id: Type.Optional(Uuid()),
    client_secrets: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 2 })),
    jwks_url: Type.Optional(Type.String()),
    jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) })),
    access_token_ttl_seconds: CreateAttributes.properties.access_token_ttl_seconds,
    access_token: Type.Optional(Type.String({ minLength: 1, description: 'known access token (access_token accounts)' })),
    access_token_expires_at: Type.Optional(FixtureTime),
  },
  { additionalProperties: false },
);

/** A collection of the fixtures: optional, empty when left out (parseFixtures fills it in). */
const Collection = <T extends TSchema>(item: T) => Type.Optional(Type.Array(item, { default: [] }));

const FixtureUser = Type.Object(
  {
    ...UserRecord.properties,
    id: Uuid(),
    email: Type.Optional(Type.String({ minLength: 1, description: 'default: <username>@snyk-mock.example' })),
    username: Type.Optional(Type.String({ minLength: 1, description: 'default: from the name ("Ada Lovelace" → "ada-lovelace")' })),
    default_org_id: Type.Optional(Uuid()),
    token: Type.Optional(Type.String({ minLength: 1, description: 'API token in clear; stored as a digest' })),
    roles: Collection(FixtureGrant),
  },
  { additionalProperties: false },
);

export const Fixtures = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    groups: Collection(Type.Object({ id: Uuid(), name: Type.String(), tenant_id: Type.Optional(Uuid()) }, { additionalProperties: false })),
    orgs: Collection(FixtureOrg),
    roles: Collection(FixtureRole),
    users: Collection(FixtureUser),
    service_accounts: Collection(FixtureServiceAccount),
  },
  { additionalProperties: false },
);
/** A fixtures document as written: every collection (and a user's `roles`) may be left out. */
export type Fixtures = Static<typeof Fixtures>;
export type FixtureServiceAccount = Static<typeof FixtureServiceAccount>;
type FixtureOrg = Static<typeof FixtureOrg>;
type FixtureRole = Static<typeof FixtureRole>;
type FixtureGrant = Static<typeof FixtureGrant>;
type FixtureUser = Static<typeof FixtureUser>;
/** A fixtures document as parseFixtures returns it: every collection there. */
export type ParsedFixtures = Required<Omit<Fixtures, '$schema' | 'users'>> & Pick<Fixtures, '$schema'> & { users: (FixtureUser & { roles: FixtureGrant[] })[] };
