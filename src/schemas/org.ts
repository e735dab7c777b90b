// Orgs (listOrgs, getOrg, listOrgsInGroup), written from the official spec: OrgAttributes (lists,
// with access_requests_enabled), OrgAttributes20230529 (getOrg, without it), OrgWithRelationships
// (listOrgs: member_role), Org20230529 (getOrg: tenant), Org (listOrgsInGroup: no relationships).
import { Type, type Static } from '@sinclair/typebox';
import { JsonApi, PageQuery, QueryVersion, ResponseLinks, StringEnum, Uuid } from './common.js';
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../snyk/slugs.js';

/** The spec's `Types` pattern; the mock's org resources are always "org". */
const ResourceType = Type.String({ pattern: '^[a-z][a-z0-9]*(_[a-z][a-z0-9]*)*$' });

const attributes = {
  name: Type.String({ description: 'The display name of the organization.' }),
  slug: Type.String({ description: 'The canonical (unique and URL-friendly) name of the organization.' }),
  is_personal: Type.Boolean({ description: 'Whether the organization is independent (that is, not part of a group).' }),
  group_id: Type.Optional(Uuid('The Snyk ID of the group to which the organization belongs.')),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
  updated_at: Type.Optional(Type.String({ format: 'date-time' })),
};

/** OrgAttributes20230529: what getOrg sends. */
const OrgAttributes = Type.Object(attributes, { additionalProperties: false });
/** OrgAttributes: what the lists send (access_requests_enabled besides). */
const ListedOrgAttributes = Type.Object(
  {
    ...attributes,
    access_requests_enabled: Type.Optional(
      Type.Boolean({ description: 'Whether the organization permits access requests from users who are not members of the organization.' }),
    ),
  },
  { additionalProperties: false },
);

const MemberRole = Type.Object(
  {
    data: Type.Object(
      {
        type: ResourceType,
        id: Uuid('The Snyk ID of the organization role.'),
        attributes: Type.Optional(Type.Object({ name: Type.String() })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Tenant = Type.Object({ data: Type.Object({ id: Uuid(), type: StringEnum(['tenant']) }) });

/** listOrgs items */
export const OrgWithRelationships = Type.Object(
  {
    id: Uuid('The Snyk ID of the organization.'),
    type: ResourceType,
    attributes: ListedOrgAttributes,
    relationships: Type.Optional(Type.Object({ member_role: Type.Optional(MemberRole) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type OrgWithRelationships = Static<typeof OrgWithRelationships>;

/** listOrgsInGroup items */
export const ListedOrg = Type.Object(
  { id: Uuid('The Snyk ID of the organization.'), type: ResourceType, attributes: ListedOrgAttributes },
  { additionalProperties: false },
);
export type ListedOrg = Static<typeof ListedOrg>;

/** getOrg data */
export const Org = Type.Object(
  {
    id: Uuid('The Snyk ID of the organization.'),
    type: ResourceType,
    attributes: OrgAttributes,
    relationships: Type.Optional(Type.Object({ tenant: Type.Optional(Tenant) })),
  },
  { additionalProperties: false },
);
export type Org = Static<typeof Org>;

/** PaginatedLinks: Links without `related`. */
const PaginatedLinks = Type.Omit(ResponseLinks, ['related'], { additionalProperties: false });
const SelfLink = Type.Object({ self: Type.Optional(Type.String()) }, { additionalProperties: false });

export const ListOrgsResponse = Type.Object(
  { jsonapi: JsonApi, data: Type.Array(OrgWithRelationships), links: PaginatedLinks },
  { additionalProperties: false },
);
export type ListOrgsResponse = Static<typeof ListOrgsResponse>;
export const ListOrgsInGroupResponse = Type.Object({ jsonapi: JsonApi, data: Type.Array(ListedOrg), links: PaginatedLinks }, { additionalProperties: false });
export type ListOrgsInGroupResponse = Static<typeof ListOrgsInGroupResponse>;
export const OrgResponse = Type.Object({ jsonapi: JsonApi, data: Org, links: SelfLink }, { additionalProperties: false });
export type OrgResponse = Static<typeof OrgResponse>;

// ---- requests

const NameFilter = (description: string) => Type.Optional(Type.String({ maxLength: SLUG_MAX_LENGTH, description }));

export const ListOrgsQuery = Type.Object(
  {
    ...PageQuery,
    group_id: Type.Optional(Uuid('If set, only return organizations within the specified group')),
    is_personal: Type.Optional(Type.Boolean({ description: 'If true, only return organizations that are not part of a group.' })),
    slug: Type.Optional(
      Type.String({ maxLength: SLUG_MAX_LENGTH, pattern: SLUG_PATTERN, description: 'Only return orgs whose slug exactly matches this value.' }),
    ),
    name: NameFilter('Only return orgs whose name contains this value.'),
    expand: Type.Optional(
      Type.Array(StringEnum(['member_role']), { description: 'Expand the specified related resources in the response to include their attributes.' }),
    ),
  },
  { additionalProperties: false },
);
export type ListOrgsQuery = Static<typeof ListOrgsQuery>;

export const ListOrgsInGroupQuery = Type.Object(
  {
    ...PageQuery,
    name: Type.Optional(Type.String({ description: 'Only return organizations whose name contains this value. Case insensitive.' })),
    slug: Type.Optional(Type.String({ description: 'Only return organizations whose slug exactly matches this value. Case sensitive.' })),
  },
  { additionalProperties: false },
);
export type ListOrgsInGroupQuery = Static<typeof ListOrgsInGroupQuery>;

export const GetOrgQuery = Type.Object(
  {
    version: QueryVersion,
    expand: Type.Optional(
      Type.Array(StringEnum(['tenant']), { description: 'Expand the specified related resources in the response to include their attributes.' }),
    ),
  },
  { additionalProperties: false },
);
export type GetOrgQuery = Static<typeof GetOrgQuery>;
