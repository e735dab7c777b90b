// GET /__admin/overview: everything the dashboard shows, in one JSON document. Unlike /__admin/state
// it holds no credential digest and no secret: credentials appear as their kind and dates only.
// The serializer drops any member not declared here, a second guard against leaking one.
import './formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.js';
import { AuthType, LevelName } from './service-account.js';

/** Accounts and users are paged: no view renders more than one page of rows. */
const OVERVIEW_PAGE_SIZE = 100;

const Named = { id: Type.String(), name: Type.String() };

export const OverviewQuery = Type.Object(
  {
    org_id: Type.Optional(Uuid('show the service accounts of this org (give at most one of org_id, group_id)')),
    group_id: Type.Optional(Uuid('show the service accounts of this group')),
    offset: Type.Integer({ minimum: 0, default: 0, description: 'first account of the page, from 0' }),
    limit: Type.Integer({ minimum: 1, maximum: OVERVIEW_PAGE_SIZE, default: OVERVIEW_PAGE_SIZE }),
    users_offset: Type.Integer({ minimum: 0, default: 0, description: 'first user of the users page, from 0' }),
  },
  { additionalProperties: false },
);
export type OverviewQuery = Static<typeof OverviewQuery>;

/** An org or group in the tree, with the number of service accounts it owns. */
const OwnerNode = Type.Object({ ...Named, service_accounts: Type.Integer() });

const OverviewCredential = Type.Object({
  kind: Type.Union([Type.Literal('api_key'), Type.Literal('client_secret'), Type.Literal('access_token')]),
  created_at: Type.String(),
  expires_at: Type.Optional(Type.String()),
});

export const OverviewAccount = Type.Object({
  ...Named,
  level: LevelName,
  auth_type: AuthType,
  role: Type.Object(Named),
  created_at: Type.String(),
  client_id: Type.Optional(Type.String()),
  jwks_url: Type.Optional(Type.String()),
  access_token_ttl_seconds: Type.Optional(Type.Number()),
  /** its long-lived credentials: kind and dates, never the secret or its digest */
  credentials: Type.Array(OverviewCredential),
  /** access tokens issued by /oauth2/token and not yet expired */
  oauth_tokens: Type.Object({
    live: Type.Integer(),
    soonest_expiry: Type.Optional(Type.String()),
    latest_expiry: Type.Optional(Type.String()),
  }),
});
export type OverviewAccount = Static<typeof OverviewAccount>;

export const OverviewUser = Type.Object({
  ...Named,
  username: Type.String(),
  email: Type.String(),
  /** the user whose token is the demo token (the token itself is never shown) */
  demo: Type.Boolean(),
  roles: Type.Array(Type.Object({ role: Type.Object(Named), level: LevelName, scope: Type.Object(Named) })),
});
export type OverviewUser = Static<typeof OverviewUser>;

const Page = { total: Type.Integer(), offset: Type.Integer(), limit: Type.Integer() };

/** Which control panels this server has (the page shows the others as not available). */
export const OverviewPanels = Type.Object({
  journal: Type.Boolean(),
  clock: Type.Boolean(),
  faults: Type.Boolean(),
  rate_limit: Type.Boolean(),
  switches: Type.Boolean(),
});
export type OverviewPanels = Static<typeof OverviewPanels>;

export const Overview = Type.Object({
  /** the mock's clock: expiries on the page are relative to it */
  now: Type.String(),
  totals: Type.Object({ groups: Type.Integer(), orgs: Type.Integer(), users: Type.Integer(), service_accounts: Type.Integer() }),
  roles: Type.Array(Type.Object({ ...Named, level: LevelName })),
  groups: Type.Array(Type.Object({ ...OwnerNode.properties, orgs: Type.Array(OwnerNode) })),
  /** orgs that belong to no group */
  orgs: Type.Array(OwnerNode),
  /** the owner whose accounts are shown (the query's, else the first in the tree that has any, else the first) */
  selected: Type.Union([Type.Object({ ...Named, level: LevelName, ...Page, accounts: Type.Array(OverviewAccount) }), Type.Null()]),
  users: Type.Object({ ...Page, items: Type.Array(OverviewUser) }),
  panels: OverviewPanels,
});
export type Overview = Static<typeof Overview>;
