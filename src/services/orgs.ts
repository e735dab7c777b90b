// Orgs: the orgs a principal can see (listOrgs), one org (getOrg), a group's orgs (listOrgsInGroup).
// Who may read an org is the permissions table's (snyk/permissions.ts); lists are paged by the one
// list machinery (snyk/pagination.ts), alphabetically by name.
import type {
  GetOrgQuery,
  ListedOrg,
  ListOrgsInGroupQuery,
  ListOrgsInGroupResponse,
  ListOrgsQuery,
  ListOrgsResponse,
  Org,
  OrgResponse,
  OrgWithRelationships,
} from '../schemas/org.js';
import type { OrgRecord } from '../schemas/store.js';
import { BY_NAME, listPage } from '../snyk/pagination.js';
import { allowedActions, type Grant, type Target } from '../snyk/permissions.js';
import type { Store } from '../store/store.js';
import type { Principal, Principals } from './principals.js';
import { JSONAPI } from '../snyk/json-document.js';

const orgTarget = (o: OrgRecord): Target => ({ level: 'Org', id: o.id, groupId: o.group_id });

/** The org's attributes as the lists send them; getOrg's schema has no access_requests_enabled. */
function listedAttributes(o: OrgRecord): ListedOrg['attributes'] {
  return {
    name: o.name,
    slug: o.slug,
    is_personal: o.is_personal,
    ...(o.group_id ? { group_id: o.group_id } : {}),
    access_requests_enabled: o.access_requests_enabled,
    created_at: o.created_at,
    updated_at: o.updated_at,
  };
}

/** The `name` (case-insensitive substring) and `slug` (exact) filters both lists declare. */
function nameAndSlug(q: { name?: string; slug?: string }): ((o: OrgRecord) => boolean) | undefined {
  if (q.name === undefined && q.slug === undefined) return undefined;
  const needle = q.name?.toLowerCase();
  return (o) => (needle === undefined || o.name.toLowerCase().includes(needle)) && (q.slug === undefined || o.slug === q.slug);
}

export class Orgs {
  constructor(
    private readonly store: Store,
    private readonly principals: Principals,
  ) {}

  /** Every org the principal may read: orgs it holds a role in, and the orgs of groups it holds a role in. */
  private visible(grants: readonly Grant[]): OrgRecord[] {
    const state = this.store.state;
    const found = new Map<string, OrgRecord>();
    for (const g of grants) {
      const candidates = g.level === 'Group' ? (state.orgsByGroup.get(g.scopeId) ?? []) : [state.get('orgs', g.scopeId)].filter((o) => o !== undefined);
      for (const o of candidates) if (allowedActions(grants, orgTarget(o), 'org').has('read')) found.set(o.id, o);
    }
    return [...found.values()].sort(BY_NAME.compare);
  }

  list(p: Principal, q: ListOrgsQuery, version: string): ListOrgsResponse {
    const grants = this.principals.grants(p);
    const byName = nameAndSlug(q);
    const orgs = this.visible(grants).filter(
      (o) =>
        (q.group_id === undefined || o.group_id === q.group_id) &&
        (q.is_personal === undefined || o.is_personal === q.is_personal) &&
        (byName === undefined || byName(o)),
    );
    const expand = q.expand ?? [];
    const page = listPage(orgs, BY_NAME, q, {
      path: '/orgs',
      version,
      filters: { group_id: q.group_id, is_personal: q.is_personal, slug: q.slug, name: q.name, expand },
    });
    const state = this.store.state;
    const data = page.items.map((o): OrgWithRelationships => {
      const resource: OrgWithRelationships = { id: o.id, type: 'org', attributes: listedAttributes(o) };
      // the caller's own role in the org, when it holds one there (not one inherited from the group)
      const role = expand.includes('member_role') ? grants.find((g) => g.level === 'Org' && g.scopeId === o.id) : undefined;
      const record = role && state.get('roles', role.roleId);
      if (record) resource.relationships = { member_role: { data: { type: 'org_role', id: record.id, attributes: { name: record.name } } } };
      return resource;
    });
    return { jsonapi: JSONAPI, data, links: page.links };
  }

  listInGroup(group: Target, q: ListOrgsInGroupQuery, version: string): ListOrgsInGroupResponse {
    const all = this.store.state.orgsByGroup.get(group.id) ?? [];
    const byName = nameAndSlug(q);
    const page = listPage(byName ? all.filter(byName) : all, BY_NAME, q, {
      path: `/groups/${group.id}/orgs`,
      version,
      filters: { name: q.name, slug: q.slug },
    });
    return { jsonapi: JSONAPI, data: page.items.map((o) => ({ id: o.id, type: 'org', attributes: listedAttributes(o) })), links: page.links };
  }

  get(target: Target, q: GetOrgQuery, version: string): OrgResponse {
    const state = this.store.state;
    const o = state.get('orgs', target.id)!;
    const { access_requests_enabled: _, ...attributes } = listedAttributes(o);
    const data: Org = { id: o.id, type: 'org', attributes };
    const tenant = q.expand?.includes('tenant') && o.group_id ? state.get('groups', o.group_id)?.tenant_id : undefined;
    if (tenant) data.relationships = { tenant: { data: { id: tenant, type: 'tenant' } } };
    return { jsonapi: JSONAPI, data, links: { self: `/orgs/${o.id}?version=${encodeURIComponent(version)}` } };
  }
}
