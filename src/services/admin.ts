// The admin API's logic: reset to the seed, seed from a fixtures or state document, export the
// state, and additive creates (groups, orgs, users, grants) for parallel test workers. Whole-state
// changes go through store.replace, additive ones through store.commit (checked synchronously first).
import { randomUUID } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Clock } from '../settings/clock.js';
import type { Settings } from '../settings/config.js';
import type { CreateGrantBody, CreateGroupBody, CreateOrgBody, CreateUserBody, CreateUserResponse, GrantSpec, ReplaceResponse } from '../schemas/admin.js';
import type { ParsedFixtures } from '../schemas/fixtures.js';
import {
  COLLECTIONS,
  credentialRecord,
  duplicateKeys,
  SCHEMA_VERSION,
  StoreData,
  type GroupRecord,
  type MembershipRecord,
  type OrgRecord,
} from '../schemas/store.js';
import { apiError, conflict, notFound, type ApiError } from '../snyk/errors.js';
import { mintApiKey } from '../snyk/credentials.js';
import { isGrantProblem, resolveGrant } from '../schemas/grants.js';
import { demoTokenChanges, demoUser } from '../store/demo-token.js';
import { FixtureError, parseFixtures, seedData } from '../store/seed.js';
import { orgRecord, userRecord } from '../store/records.js';
import { migrateDocument, READABLE_VERSIONS, readableVersion } from '../store/migrate.js';
import type { Change, Store } from '../store/store.js';

/** A document that failed validation: one 400 error per problem, each with its JSON pointer. */
export class DocumentError extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'DocumentError';
  }
}

const toDocumentError = (err: FixtureError, what: string) =>
  new DocumentError(err.errors.map((e) => apiError(400, `Invalid ${what}: ${e.pointer || '/'}: ${e.detail}`, { pointer: e.pointer || '/' })));

export class Admin {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: Settings,
    /** the fixtures the server started with: what reset returns to */
    readonly seedFixtures: ParsedFixtures,
  ) {}

  /** The API token of the seed's demo user in effect (settings.demoToken, else its fixtures token). */
  demoToken(): string | undefined {
    const user = demoUser(this.seedFixtures.users);
    return user && (this.settings.demoToken ?? user.token);
  }

  /** Replaces the state with seed data, the demo token applied (one replace: nobody sees it without). */
  private async replaceWithSeed(data: StoreData): Promise<void> {
    await this.store.replace(data, (state) => demoTokenChanges(state, this.settings.demoToken, this.clock.now()));
  }

  private counts(source: ReplaceResponse['source']): ReplaceResponse {
    const state = this.store.state;
    return { status: 'ok', source, counts: Object.fromEntries(COLLECTIONS.map((c) => [c, state.count(c)])) as ReplaceResponse['counts'] };
  }

  /** Back to the seed fixtures the server started with (relative times resolved anew). */
  async reset(): Promise<ReplaceResponse> {
    await this.replaceWithSeed(seedData(this.seedFixtures, { now: this.clock.now() }));
    return this.counts('seed');
  }

  /**
   * Replaces the state with a fixtures document, or with a state document as exported by state()
   * (recognised by its `schemaVersion`). Throws DocumentError on an invalid document.
   */
  async seed(doc: unknown): Promise<ReplaceResponse> {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new DocumentError([apiError(400, 'The body must be a fixtures document or a state document (a JSON object).', { pointer: '/' })]);
    }
    if ('schemaVersion' in doc) {
      await this.store.replace(parseState(doc));
      return this.counts('state');
    }
    let data: StoreData;
    try {
      data = seedData(parseFixtures(doc, 'request body'), { now: this.clock.now() });
    } catch (err) {
      if (err instanceof FixtureError) throw toDocumentError(err, 'fixtures');
      throw err;
    }
    await this.replaceWithSeed(data);
    return this.counts('fixtures');
  }

  /** The whole store as saved: credential digests only, never a secret in clear. */
  async state(): Promise<StoreData> {
    await this.store.settle();
    return this.store.data;
  }

  async createGroup(body: CreateGroupBody): Promise<GroupRecord> {
    const state = this.store.state;
    const group: GroupRecord = { id: body.id ?? randomUUID(), name: body.name };
    if (state.get('groups', group.id)) throw conflict(`A group with id ${group.id} already exists.`, { pointer: '/id' });
    await this.store.commit([{ op: 'put', coll: 'groups', value: group }]);
    return group;
  }

  async createOrg(body: CreateOrgBody): Promise<OrgRecord> {
    const state = this.store.state;
    const now = this.clock.now().toISOString();
    const org: OrgRecord = orgRecord({ ...body, id: body.id ?? randomUUID(), created_at: now }, (slug) => state.orgBySlug.has(slug));
    if (state.get('orgs', org.id)) throw conflict(`An org with id ${org.id} already exists.`, { pointer: '/id' });
    if (org.group_id && !state.get('groups', org.group_id)) throw notFound(`No group ${org.group_id}.`, { pointer: '/group_id' });
    if (state.orgBySlug.has(org.slug)) throw conflict(`An org with slug ${org.slug} already exists.`, { pointer: '/slug' });
    await this.store.commit([{ op: 'put', coll: 'orgs', value: org }]);
    return org;
  }

  /** Resolves a grant to a membership record (the rule in schemas/grants.ts), or throws with a pointer under `at`. */
  private membership(userId: string, g: GrantSpec, at: string): MembershipRecord {
    const state = this.store.state;
    const m = resolveGrant(userId, g, {
      hasScope: (level, id) => state.get(level === 'Group' ? 'groups' : 'orgs', id) !== undefined,
      role: (id) => state.get('roles', id),
      roles: () => this.store.data.roles,
    });
    if (!isGrantProblem(m)) return m;
    const pointer = `${at}${m.field ? `/${m.field}` : ''}` || '/';
    throw apiError(m.status, `Invalid grant at ${pointer}: ${m.detail}.`, { pointer });
  }

  async createUser(body: CreateUserBody): Promise<CreateUserResponse> {
    const state = this.store.state;
    const id = body.id ?? randomUUID();
    if (state.get('users', id)) throw conflict(`A user with id ${id} already exists.`, { pointer: '/id' });
    if (body.default_org_id && !state.get('orgs', body.default_org_id)) throw notFound(`No org ${body.default_org_id}.`, { pointer: '/default_org_id' });
    const user = userRecord({ ...body, id });
    const token = body.token ?? mintApiKey();
    if (state.findCredential(token)) throw conflict('That token is already in use.', { pointer: '/token' });
    const roles = (body.roles ?? []).map((g, i) => this.membership(id, g, `/roles/${i}`));
    const changes: Change[] = [
      { op: 'put', coll: 'users', value: user },
      {
        op: 'put',
        coll: 'credentials',
        value: credentialRecord(token, { kind: 'user_token', principal_type: 'user', principal_id: id, created_at: this.clock.now().toISOString() }),
      },
      ...roles.map((value) => ({ op: 'put' as const, coll: 'memberships' as const, value })),
    ];
    await this.store.commit(changes);
    return { ...user, token, roles };
  }

  /** Gives a user a role on a group or org; replaces the role the user had there. */
  async createGrant(body: CreateGrantBody): Promise<{ membership: MembershipRecord; replaced: boolean }> {
    const state = this.store.state;
    if (!state.get('users', body.user_id)) throw notFound(`No user ${body.user_id}.`, { pointer: '/user_id' });
    const { user_id, ...grant } = body;
    const membership = this.membership(user_id, grant, '');
    const replaced = state.get('memberships', membership.id) !== undefined;
    await this.store.commit([{ op: 'put', coll: 'memberships', value: membership }]);
    return { membership, replaced };
  }
}

/** Validates a state document (as exported by GET /__admin/state) before it replaces the store. */
function parseState(input: object): StoreData {
  const version = (input as { schemaVersion?: unknown }).schemaVersion;
  if (!readableVersion(version)) {
    throw new DocumentError([
      apiError(400, `Invalid state: schemaVersion is ${JSON.stringify(version)}; this snyk-mock reads schemaVersion ${READABLE_VERSIONS}.`, {
        pointer: '/schemaVersion',
      }),
    ]);
  }
  // a state exported by an earlier snyk-mock is upgraded as its data file would be
  const doc = version === SCHEMA_VERSION ? input : migrateDocument(input as Record<string, unknown>);
  if (!Value.Check(StoreData, doc)) {
    const errors = [...Value.Errors(StoreData, doc)].slice(0, 20);
    throw new DocumentError(errors.map((e) => apiError(400, `Invalid state: ${e.path || '/'}: ${e.message}`, { pointer: e.path || '/' })));
  }
  const data = Value.Clean(StoreData, structuredClone(doc)) as StoreData;
  const problems = duplicateKeys(data);
  if (problems.length) throw new DocumentError(problems.slice(0, 20).map((p) => apiError(400, `Invalid state: ${p.detail}.`, { pointer: p.pointer })));
  return data;
}
