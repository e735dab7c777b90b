// The dashboard's view of the store: groups → orgs with their account counts, one page of one
// owner's service accounts, one page of users, and the roles. Built from the indexes, so its cost is
// the size of the tree plus two pages, whatever the number of accounts (10,000 or 100,000).
// Credentials appear as kind and dates only: this is what a page may show (no secret, no digest).
import type { Clock } from '../settings/clock.js';
import type { Overview, OverviewAccount, OverviewPanels, OverviewQuery, OverviewUser } from '../schemas/overview.js';
import type { CredentialRecord, MembershipRecord, ServiceAccountRecord } from '../schemas/store.js';
import { badRequest, notFound } from '../snyk/errors.js';
import type { Level } from '../snyk/permissions.js';
import { ownerKey, type State } from '../store/state.js';
import type { Store } from '../store/store.js';

type Owner = { level: Level; id: string; name: string };

export class OverviewService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** the control panels this server has (the journal is off with --journal-size 0) */
    private readonly panels: OverviewPanels,
  ) {}

  view(q: OverviewQuery): Overview {
    const state = this.store.state;
    const data = state.data;
    const count = (level: Level, id: string) => state.saByOwner.get(ownerKey(level, id))?.length ?? 0;
    const node = (level: Level, o: { id: string; name: string }) => ({ id: o.id, name: o.name, service_accounts: count(level, o.id) });

    const orgsByGroup = new Map<string, { id: string; name: string; service_accounts: number }[]>();
    const ungrouped = [];
    for (const org of data.orgs) {
      const n = node('Org', org);
      if (org.group_id && state.get('groups', org.group_id)) {
        const list = orgsByGroup.get(org.group_id);
        if (list) list.push(n);
        else orgsByGroup.set(org.group_id, [n]);
      } else ungrouped.push(n);
    }
    const groups = data.groups.map((g) => ({ ...node('Group', g), orgs: orgsByGroup.get(g.id) ?? [] }));

    const owner = this.owner(state, q) ?? firstWithAccounts(groups, ungrouped);
    const now = this.clock.now();
    let selected: Overview['selected'] = null;
    if (owner) {
      const all = state.saByOwner.get(ownerKey(owner.level, owner.id)) ?? [];
      selected = {
        ...owner,
        total: all.length,
        offset: q.offset,
        limit: q.limit,
        accounts: all.slice(q.offset, q.offset + q.limit).map((sa) => this.account(state, sa, now)),
      };
    }

    const users = data.users;
    return {
      now: now.toISOString(),
      totals: { groups: data.groups.length, orgs: data.orgs.length, users: users.length, service_accounts: data.service_accounts.length },
      roles: data.roles.map((r) => ({ id: r.id, name: r.name, level: r.level })),
      groups,
      orgs: ungrouped,
      selected,
      users: {
        total: users.length,
        offset: q.users_offset,
        limit: q.limit,
        items: users.slice(q.users_offset, q.users_offset + q.limit).map(
          (u): OverviewUser => ({
            id: u.id,
            name: u.name,
            username: u.username,
            email: u.email,
            demo: u.demo === true,
            roles: [...(state.membershipsByUser.get(u.id) ?? [])].map((m) => this.grant(state, m)),
          }),
        ),
      },
      panels: this.panels,
    };
  }

  /** The owner the query names; a 404 when it does not exist. */
  private owner(state: State, q: OverviewQuery): Owner | undefined {
    if (q.org_id !== undefined && q.group_id !== undefined) {
      throw badRequest('Give at most one of org_id and group_id.', { parameter: 'group_id' });
    }
    if (q.org_id !== undefined) {
      const org = state.get('orgs', q.org_id);
      if (!org) throw notFound(`No org ${q.org_id}.`, { parameter: 'org_id' });
      return { level: 'Org', id: org.id, name: org.name };
    }
    if (q.group_id !== undefined) {
      const group = state.get('groups', q.group_id);
      if (!group) throw notFound(`No group ${q.group_id}.`, { parameter: 'group_id' });
      return { level: 'Group', id: group.id, name: group.name };
    }
    return undefined;
  }

  private account(state: State, sa: ServiceAccountRecord, now: Date): OverviewAccount {
    const credentials: OverviewAccount['credentials'] = [];
    const tokenExpiries: string[] = [];
    for (const c of state.credentialsByPrincipal.get(sa.id) ?? []) {
      if (c.kind === 'oauth_access_token') {
        if (live(c, now)) tokenExpiries.push(c.expires_at ?? '');
      } else if (c.kind !== 'user_token') {
        credentials.push({ kind: c.kind, created_at: c.created_at, ...(c.expires_at ? { expires_at: c.expires_at } : {}) });
      }
    }
    const dated = tokenExpiries.filter(Boolean).sort((a, b) => Date.parse(a) - Date.parse(b));
    const role = state.get('roles', sa.role_id);
    return {
      id: sa.id,
      name: sa.name,
      level: sa.level,
      auth_type: sa.auth_type,
      role: { id: sa.role_id, name: role?.name ?? sa.role_id },
      created_at: sa.created_at,
      ...(sa.client_id ? { client_id: sa.client_id } : {}),
      ...(sa.jwks_url ? { jwks_url: sa.jwks_url } : {}),
      ...(sa.access_token_ttl_seconds !== undefined ? { access_token_ttl_seconds: sa.access_token_ttl_seconds } : {}),
      credentials,
      oauth_tokens: {
        live: tokenExpiries.length,
        ...(dated.length ? { soonest_expiry: dated[0], latest_expiry: dated[dated.length - 1] } : {}),
      },
    };
  }

  private grant(state: State, m: MembershipRecord): OverviewUser['roles'][number] {
    const role = state.get('roles', m.role_id);
    const scope = m.level === 'Group' ? state.get('groups', m.scope_id) : state.get('orgs', m.scope_id);
    return { role: { id: m.role_id, name: role?.name ?? m.role_id }, level: m.level, scope: { id: m.scope_id, name: scope?.name ?? m.scope_id } };
  }
}

const live = (c: CredentialRecord, now: Date) => !c.expires_at || Date.parse(c.expires_at) > now.getTime();

/** The first owner in tree order (each group, then its orgs; then the orgs of no group) that has accounts, else the first owner. */
function firstWithAccounts(groups: Overview['groups'], ungrouped: Overview['orgs']): Owner | undefined {
  const owners: Owner[] = [];
  const counts: number[] = [];
  const add = (level: Level, o: { id: string; name: string; service_accounts: number }) => {
    owners.push({ level, id: o.id, name: o.name });
    counts.push(o.service_accounts);
  };
  for (const g of groups) {
    add('Group', g);
    for (const o of g.orgs) add('Org', o);
  }
  for (const o of ungrouped) add('Org', o);
  const i = counts.findIndex((n) => n > 0);
  return owners[i === -1 ? 0 : i];
}
