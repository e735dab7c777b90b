// /__admin requests and responses (application/json, outside Snyk's gates).
import './formats.js';
import { Type, type Static } from '@sinclair/typebox';
import { Uuid } from './common.js';
import { GroupRecord, MembershipRecord, OrgRecord, UserRecord } from './store.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../snyk/slugs.js';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });
export type HealthResponse = Static<typeof HealthResponse>;

/** The demo user's API token: documented and fixed (fixtures, or --demo-token), so the dashboard may offer it. */
export const DemoTokenResponse = Type.Object({
  token: Type.Union([Type.String(), Type.Null()], { description: 'null when the seed has no demo user with a token' }),
});

/** Record counts after a reset or seed. */
export const ReplaceResponse = Type.Object({
  status: Type.Literal('ok'),
  source: Type.Union([Type.Literal('seed'), Type.Literal('fixtures'), Type.Literal('state')]),
  counts: Type.Object({
    groups: Type.Integer(),
    orgs: Type.Integer(),
    roles: Type.Integer(),
    users: Type.Integer(),
    memberships: Type.Integer(),
    service_accounts: Type.Integer(),
    credentials: Type.Integer(),
  }),
});
export type ReplaceResponse = Static<typeof ReplaceResponse>;

export const CreateGroupBody = Type.Object(
  { id: Type.Optional(Uuid('default: a new random UUID')), name: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const CreateOrgBody = Type.Object(
  {
    id: Type.Optional(Uuid('default: a new random UUID')),
    name: Type.String({ minLength: 1 }),
    group_id: Type.Optional(Uuid('the group the org belongs to (must exist)')),
    slug: Type.Optional(Type.String({ pattern: SLUG_PATTERN, maxLength: SLUG_MAX_LENGTH, description: 'unique; default: from the name' })),
  },
  { additionalProperties: false },
);
export type CreateOrgBody = Static<typeof CreateOrgBody>;

/** A role on exactly one group or org; the role by id or by name (e.g. "Group Admin"). */
export const GrantSpec = Type.Object(
  {
    role_id: Type.Optional(Uuid('the role (or give `role`, its name)')),
    role: Type.Optional(Type.String({ minLength: 1, description: 'the role name, e.g. "Group Admin", "Org Collaborator"' })),
    group_id: Type.Optional(Uuid('the group the role applies to (and its orgs)')),
    org_id: Type.Optional(Uuid('the org the role applies to')),
  },
  { additionalProperties: false },
);
export type GrantSpec = Static<typeof GrantSpec>;

export const CreateUserBody = Type.Object(
  {
    id: Type.Optional(Uuid('default: a new random UUID')),
    name: Type.String({ minLength: 1 }),
    email: Type.Optional(Type.String({ minLength: 1 })),
    username: Type.Optional(Type.String({ minLength: 1 })),
    avatar_url: Type.Optional(Type.String({ minLength: 1 })),
    default_org_id: Type.Optional(Uuid('the org /self reports as default context')),
    token: Type.Optional(Type.String({ minLength: 16, description: 'the API token to give the user (default: a new random UUID)' })),
    roles: Type.Optional(Type.Array(GrantSpec, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const CreateUserResponse = Type.Object({
  ...UserRecord.properties,
  token: Type.String({ description: 'the API token, returned this once (only its digest is stored)' }),
  roles: Type.Array(MembershipRecord),
});
export type CreateUserResponse = Static<typeof CreateUserResponse>;

export const CreateGrantBody = Type.Object({ user_id: Uuid('the user receiving the role'), ...GrantSpec.properties }, { additionalProperties: false });
export type CreateGrantBody = Static<typeof CreateGrantBody>;

export type GroupResponse = GroupRecord;
export type OrgResponse = OrgRecord;
export type GrantResponse = MembershipRecord;
export { GroupRecord, OrgRecord, MembershipRecord };
