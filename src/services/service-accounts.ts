// The service-accounts resource, one implementation for both levels: the level (Org / Group) and the
// owner id are parameters. Rules the spec states only in prose are enforced here with 400s.
import type { Clock } from '../settings/clock.js';
import { badRequest, conflict, notFound } from '../snyk/errors.js';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, mintAccessToken, mintApiKey, mintClientId, mintClientSecret } from '../snyk/credentials.js';
import { documentBytes, JSONAPI, KeptDocuments, PageCache, RenderedResources } from '../snyk/json-document.js';
import { BY_CREATION, listPage } from '../snyk/pagination.js';
import type { Level, Target } from '../snyk/permissions.js';
import type { CreateAttributes, ListQuery, PatchBody, SecretsBody, ServiceAccountResource, SingleResponse } from '../schemas/service-account.js';
import { credentialRecord, type CredentialRecord, type ServiceAccountRecord } from '../schemas/store.js';
import { ownerKey, type Change } from '../store/state.js';
import type { Store } from '../store/store.js';
import type { ClientAssertions } from './client-assertion.js';

/** Group list `meta.access_tokens`: Snyk does not document the values; these are the mock's choice. */
const ACCESS_TOKEN_LIMITS = { max_active_tokens: 3, max_expiry_days: 365 } as const;

const MAX_CLIENT_SECRETS = 2;

/** Path of a collection or account, relative to the /rest base (as Snyk's links are). */
export function accountsPath(level: Level, ownerId: string, id?: string): string {
  const base = `/${level === 'Org' ? 'orgs' : 'groups'}/${ownerId}/service_accounts`;
  return id ? `${base}/${id}` : base;
}

type Shown = Partial<Pick<ServiceAccountResource['attributes'], 'api_key' | 'client_secret' | 'access_token'>>;

/** The JSON:API resource; fields with no value are omitted, secrets only when just minted. */
function toResource(sa: ServiceAccountRecord, shown: Shown = {}): ServiceAccountResource {
  const a: ServiceAccountResource['attributes'] = {
    name: sa.name,
    auth_type: sa.auth_type,
    role_id: sa.role_id,
    level: sa.level,
    created_at: sa.created_at,
  };
  if (sa.client_id) a.client_id = sa.client_id;
  if (sa.auth_type === 'oauth_private_key_jwt' && sa.jwks_url) a.jwks_url = sa.jwks_url;
  if (sa.access_token_ttl_seconds !== undefined) a.access_token_ttl_seconds = sa.access_token_ttl_seconds;
  if (sa.access_token_expires_at) a.access_token_expires_at = sa.access_token_expires_at;
  Object.assign(a, shown);
  return { type: 'service_account', id: sa.id, attributes: a, links: { self: accountsPath(sa.level, sa.owner_id, sa.id) } };
}

export interface CallContext {
  version: string;
  /** Host the client called, named in minted access tokens (`h` claim). */
  host: string;
}

/** What a read depends on: the version (in the document's links). */
export type ReadContext = Pick<CallContext, 'version'>;

const ptr = (field: string) => ({ pointer: `/data/attributes/${field}` });

export class ServiceAccounts {
  // the three caches of the documents (docs/decisions/0005-document-caches.md):
  /** each account's resource as JSON bytes, kept per record object (a change replaces the record) */
  private readonly rendered = new RenderedResources<ServiceAccountRecord>((sa) => toResource(sa));
  /** each account's GET document, kept per record object with the version it was asked with */
  private readonly singles = new KeptDocuments<ServiceAccountRecord>();
  /** list documents, until an account changes (State.saRevision) */
  private readonly pages = new PageCache();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** its jwks_url policy is the one assertions are verified with */
    private readonly assertions: ClientAssertions,
  ) {}

  private single(sa: ServiceAccountRecord, ctx: CallContext, shown?: Shown): SingleResponse {
    return {
      jsonapi: JSONAPI,
      data: toResource(sa, shown),
      links: { self: `${accountsPath(sa.level, sa.owner_id, sa.id)}?version=${encodeURIComponent(ctx.version)}` },
    };
  }

  private find(target: Target, id: string): ServiceAccountRecord {
    const sa = this.store.state.get('service_accounts', id);
    if (!sa || sa.level !== target.level || sa.owner_id !== target.id) {
      throw notFound(`Service account ${id} not found.`, { parameter: 'serviceaccount_id' });
    }
    return sa;
  }

  private checkName(target: Target, name: string, self?: string): string {
    if (name.trim() === '') throw badRequest('name must not be empty.', ptr('name'));
    const existing = this.store.state.saByName.get(`${ownerKey(target.level, target.id)}\0${name}`);
    if (existing && existing.id !== self) {
      throw conflict(
        `A service account named "${name}" already exists in this ${target.level === 'Org' ? 'organization' : 'group'}; names must be unique.`,
        ptr('name'),
      );
    }
    return name;
  }

  /** A page of the owner's accounts: the bytes of its ListResponse document. */
  list(target: Target, q: ListQuery, ctx: ReadContext): Buffer {
    const state = this.store.state;
    // everything the document depends on (an absent cursor is null, an empty one "": a 400, never cached)
    const key = JSON.stringify([target.level, target.id, ctx.version, q.limit, q.starting_after ?? null, q.ending_before ?? null]);
    return this.pages.get(state.saRevision, key, () => {
      const sorted = state.saByOwner.get(ownerKey(target.level, target.id)) ?? [];
      const page = listPage(sorted, BY_CREATION, q, { path: accountsPath(target.level, target.id), version: ctx.version });
      return documentBytes(
        page.items.map((sa) => this.rendered.bytes(sa)),
        { links: page.links, meta: target.level === 'Group' ? { access_tokens: ACCESS_TOKEN_LIMITS } : undefined },
      );
    });
  }

  /** One account: the bytes of its SingleResponse document. */
  get(target: Target, id: string, ctx: ReadContext): Buffer {
    const sa = this.find(target, id);
    return this.singles.get(sa, ctx.version, () =>
      documentBytes(this.rendered.bytes(sa), { links: { self: `${accountsPath(sa.level, sa.owner_id, sa.id)}?version=${encodeURIComponent(ctx.version)}` } }),
    );
  }

  async create(target: Target, attrs: CreateAttributes, ctx: CallContext): Promise<SingleResponse> {
    const state = this.store.state;
    const now = this.clock.now();
    const name = this.checkName(target, attrs.name);
    const role = state.get('roles', attrs.role_id);
    if (!role || role.level !== target.level) {
      throw badRequest(`role_id ${attrs.role_id} is not a role of this ${target.level === 'Org' ? 'organization' : 'group'} level.`, ptr('role_id'));
    }
    const sa: ServiceAccountRecord = {
      id: crypto.randomUUID(),
      level: target.level,
      owner_id: target.id,
      name,
      auth_type: attrs.auth_type,
      role_id: attrs.role_id,
      created_at: now.toISOString(),
    };
    const creds: CredentialRecord[] = [];
    const shown: Shown = {};
    const credential = (secret: string, kind: CredentialRecord['kind'], expires_at?: string) =>
      creds.push(credentialRecord(secret, { kind, principal_type: 'service_account', principal_id: sa.id, created_at: sa.created_at, expires_at }));

    switch (attrs.auth_type) {
      case 'api_key':
        shown.api_key = mintApiKey();
        credential(shown.api_key, 'api_key');
        break;
      // biome-ignore lint/suspicious/noFallthroughSwitchClause: on purpose, see below
      case 'oauth_private_key_jwt': {
        if (attrs.jwks_url === undefined) throw badRequest('jwks_url is required when auth_type is oauth_private_key_jwt.', ptr('jwks_url'));
        // https only, as Snyk; SNYK_MOCK_ALLOW_HTTP_JWKS also takes http:// on loopback hosts
        const problem = this.assertions.jwksUrlProblem(attrs.jwks_url);
        if (problem) throw badRequest(problem, ptr('jwks_url'));
        sa.jwks_url = attrs.jwks_url;
      }
      // falls through: both oauth_* types have a client id and a token TTL
      case 'oauth_client_secret':
        sa.client_id = mintClientId();
        sa.access_token_ttl_seconds = attrs.access_token_ttl_seconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
        if (attrs.auth_type === 'oauth_client_secret') {
          shown.client_secret = mintClientSecret();
          credential(shown.client_secret, 'client_secret');
        }
        break;
      case 'access_token': {
        const raw = attrs.access_token_expires_at;
        if (raw === undefined) throw badRequest('access_token_expires_at is required when auth_type is access_token.', ptr('access_token_expires_at'));
        const expires = new Date(raw);
        const max = new Date(now);
        max.setUTCFullYear(max.getUTCFullYear() + 1);
        if (!(expires.getTime() > now.getTime())) throw badRequest('access_token_expires_at must be in the future.', ptr('access_token_expires_at'));
        if (expires.getTime() > max.getTime()) throw badRequest('access_token_expires_at must be at most one year from now.', ptr('access_token_expires_at'));
        sa.access_token_expires_at = expires.toISOString();
        shown.access_token = mintAccessToken({ host: ctx.host, subject: sa.id, expiresAt: expires });
        credential(shown.access_token, 'access_token', sa.access_token_expires_at);
        break;
      }
    }
    await this.store.commit([{ op: 'put', coll: 'service_accounts', value: sa }, ...creds.map((value): Change => ({ op: 'put', coll: 'credentials', value }))]);
    return this.single(sa, ctx, shown);
  }

  async update(target: Target, id: string, body: PatchBody, ctx: CallContext): Promise<SingleResponse> {
    if (body.data.id !== id) throw badRequest(`data.id ${body.data.id} must match the id in the url path (${id}).`, { pointer: '/data/id' });
    const sa = this.find(target, id);
    const name = this.checkName(target, body.data.attributes.name, id);
    const updated = { ...sa, name };
    await this.store.commit([{ op: 'put', coll: 'service_accounts', value: updated }]);
    return this.single(updated, ctx);
  }

  async remove(target: Target, id: string): Promise<void> {
    const sa = this.find(target, id);
    const creds = this.store.state.credentialsByPrincipal.get(sa.id) ?? [];
    // deleting the account revokes every credential it had, at once
    await this.store.commit([
      { op: 'del', coll: 'service_accounts', id: sa.id },
      ...[...creds].map((c): Change => ({ op: 'del', coll: 'credentials', id: c.id })),
    ]);
  }

  async manageSecrets(target: Target, id: string, body: SecretsBody, ctx: CallContext): Promise<SingleResponse> {
    const sa = this.find(target, id);
    if (sa.auth_type !== 'oauth_client_secret') {
      throw badRequest(`Client secrets can only be managed for oauth_client_secret service accounts; this one is ${sa.auth_type}.`, {
        pointer: '/data/attributes/mode',
      });
    }
    const secrets = [...(this.store.state.credentialsByPrincipal.get(sa.id) ?? [])].filter((c) => c.kind === 'client_secret');
    const { mode, secret } = body.data.attributes;
    const changes: Change[] = [];
    const shown: Shown = {};
    const add = () => {
      shown.client_secret = mintClientSecret();
      changes.push({
        op: 'put',
        coll: 'credentials',
        value: credentialRecord(shown.client_secret, {
          kind: 'client_secret',
          principal_type: 'service_account',
          principal_id: sa.id,
          created_at: this.clock.now().toISOString(),
        }),
      });
    };
    if (mode === 'replace') {
      for (const c of secrets) changes.push({ op: 'del', coll: 'credentials', id: c.id });
      add();
    } else if (mode === 'create') {
      if (secrets.length >= MAX_CLIENT_SECRETS)
        throw badRequest(`A maximum of ${MAX_CLIENT_SECRETS} secrets can exist at a time; delete one first.`, { pointer: '/data/attributes/mode' });
      add();
    } else {
      if (secret === undefined || secret === '') throw badRequest('secret is required when mode is delete.', ptr('secret'));
      const match = this.store.state.findCredential(secret, ['client_secret']);
      if (match?.principal_id !== sa.id) throw badRequest('secret does not match any secret of this service account.', ptr('secret'));
      if (secrets.length <= 1) throw badRequest('At least one secret must remain per service account; use mode replace to rotate it.', ptr('secret'));
      changes.push({ op: 'del', coll: 'credentials', id: match.id });
    }
    await this.store.commit(changes);
    return this.single(sa, ctx, shown);
  }
}
