// The stored form of orgs and roles with their defaults: one place, used by the seed (fixtures), the
// admin API (additive creates) and the migration of older data files, so all three agree.
import type { OrgRecord, RoleRecord } from '../schemas/store.js';
import { BUILTIN_ROLES } from '../snyk/permissions.js';
import { slugify, uniqueSlug } from '../snyk/slugs.js';

/** Creation time of records that give none (fixtures, and data files from before timestamps). */
const DEFAULT_CREATED_AT = '2024-01-01T00:00:00.000Z';
/** Creation time of Snyk's predefined roles (the date Snyk's v1 role list example shows). */
const BUILTIN_ROLE_CREATED_AT = '2021-04-22T16:02:53.233Z';

const BUILTIN = new Map(BUILTIN_ROLES.map((r) => [r.id, r]));

export interface OrgInput {
  id: string;
  name: string;
  group_id?: string;
  slug?: string;
  access_requests_enabled?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** An org record; without a slug it gets one from its name, made unique against `taken`. */
export function orgRecord(o: OrgInput, taken: (slug: string) => boolean): OrgRecord {
  const created_at = o.created_at ?? DEFAULT_CREATED_AT;
  return {
    id: o.id,
    name: o.name,
    slug: o.slug ?? uniqueSlug(slugify(o.name), taken),
    ...(o.group_id ? { group_id: o.group_id } : {}),
    is_personal: !o.group_id,
    access_requests_enabled: o.access_requests_enabled ?? false,
    created_at,
    updated_at: o.updated_at ?? created_at,
  };
}

export interface RoleInput {
  id: string;
  name: string;
  level: RoleRecord['level'];
  actions: RoleRecord['actions'];
  description?: string;
  custom?: boolean;
  created_at?: string;
  updated_at?: string;
}

/** A role record: a predefined role (by id) keeps Snyk's description and is not custom. */
export function roleRecord(r: RoleInput): RoleRecord {
  const builtin = BUILTIN.get(r.id);
  const created_at = r.created_at ?? (builtin ? BUILTIN_ROLE_CREATED_AT : DEFAULT_CREATED_AT);
  return {
    id: r.id,
    name: r.name,
    level: r.level,
    actions: [...r.actions],
    description: r.description ?? builtin?.description ?? r.name,
    custom: r.custom ?? !builtin,
    created_at,
    updated_at: r.updated_at ?? created_at,
  };
}

/** The predefined roles, always present. */
export const builtinRoles = (): RoleRecord[] => BUILTIN_ROLES.map((r) => roleRecord(r));
