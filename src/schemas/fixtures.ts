// The fixtures format: what a seed (default.json, demo sets, admin `seed`) is written in. Secrets
// may be given in clear here (known demo credentials); they are stored as digests only.
import './formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { AuthType, LevelName } from './service-account.js';
import { UserRecord } from './store.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../snyk/slugs.js';

/** An ISO date-time, or a time relative to start-up such as "+30d", "-2h", "+15m" (so seeded expiries never go stale). */
export const FixtureTime = Type.String({
  pattern: '^([+-]\\d+[smhd]|\\d{4}-\\d{2}-\\d{2}T.+)$',
  description: 'ISO date-time, or relative to start-up: +30d, -2h, +15m, +10s',
});

const Id = Type.String({ format: 'uuid' });
const Action = Type.Union([Type.Literal('read'), Type.Literal('create'), Type.Literal('edit'), Type.Literal('delete')]);

export const FixtureGrant = Type.Object(
  { role_id: Id, group_id: Type.Optional(Id), org_id: Type.Optional(Id) },
  { additionalProperties: false, description: 'A role on one group (covering its orgs) or one org: give exactly one of group_id / org_id' },
);

export const FixtureOrg = Type.Object(
  {
    id: Id,
    name: Type.String(),
    group_id: Type.Optional(Id),
    slug: Type.Optional(
      Type.String({ pattern: SLUG_PATTERN, maxLength: SLUG_MAX_LENGTH, description: 'unique; default: from the name ("Acme Web" → "acme-web", with -2, -3… when taken)' }),
    ),
    access_requests_enabled: Type.Optional(Type.Boolean({ description: 'default false' })),
    created_at: Type.Optional(FixtureTime),
    updated_at: Type.Optional(Type.String({ pattern: FixtureTime.pattern, description: 'default: created_at' })),
  },
  { additionalProperties: false, description: 'is_personal is derived: true exactly when there is no group_id' },
);

export const FixtureRole = Type.Object(
  {
    id: Id,
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
    id: Id,
    name: Type.String({ minLength: 1 }),
    level: LevelName,
    org_id: Type.Optional(Id),
    group_id: Type.Optional(Id),
    role_id: Id,
    auth_type: AuthType,
    created_at: Type.Optional(FixtureTime),
    api_key: Type.Optional(Type.String({ minLength: 1, description: 'known api key (api_key accounts)' })),
    client_id: Type.Optional(Id),
    client_secrets: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 2 })),
    jwks_url: Type.Optional(Type.String()),
    jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) })),
    access_token_ttl_seconds: Type.Optional(Type.Number({ minimum: 3600, maximum: 86400 })),
    access_token: Type.Optional(Type.String({ minLength: 1, description: 'known access token (access_token accounts)' })),
    access_token_expires_at: Type.Optional(FixtureTime),
  },
  { additionalProperties: false },
);

export const Fixtures = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    groups: Type.Array(
      Type.Object({ id: Id, name: Type.String(), tenant_id: Type.Optional(Id) }, { additionalProperties: false }),
      { default: [] },
    ),
    orgs: Type.Array(FixtureOrg, { default: [] }),
    roles: Type.Array(FixtureRole, { default: [] }),
    users: Type.Array(
      Type.Object(
        {
          ...UserRecord.properties,
          id: Id,
          default_org_id: Type.Optional(Id),
          token: Type.Optional(Type.String({ minLength: 1, description: 'API token in clear; stored as a digest' })),
          roles: Type.Array(FixtureGrant, { default: [] }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    service_accounts: Type.Array(FixtureServiceAccount, { default: [] }),
  },
  { additionalProperties: false },
);
export type Fixtures = Static<typeof Fixtures>;
export type FixtureServiceAccount = Static<typeof FixtureServiceAccount>;
export type FixtureOrg = Static<typeof FixtureOrg>;
export type FixtureRole = Static<typeof FixtureRole>;
