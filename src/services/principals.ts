// Who is calling: the Authorization header → a principal (user or service account), and what that
// principal may do where. Credential checks are digest lookups; expiry reads the one clock.
import type { Clock } from '../settings/clock.js';
import { apiError, badRequest, unauthorized } from '../snyk/errors.js';
import { ALL_ACTIONS, allowedActions, decide, permissionName, type Action, type Grant, type Level, type Subject, type Target } from '../snyk/permissions.js';
import type { CredentialRecord, ServiceAccountRecord, UserRecord } from '../schemas/store.js';
import type { Store } from '../store/store.js';
import { startWith, type AuthMode } from './switches.js';

export type Principal = ({ type: 'user'; id: string; user: UserRecord } | { type: 'service_account'; id: string; account: ServiceAccountRecord }) & {
  /** the stored credential that authenticated the request (its digest): rate limits count per credential */
  credential?: string;
};

/** Who requests act as when --auth presence or off lets them through: a user allowed everything. */
const ALL_ACCESS_USER: UserRecord = {
  id: '00000000-0000-4000-8000-000000000000',
  name: 'snyk-mock all-access user (--auth presence/off)',
  email: 'all-access@snyk-mock.example',
  username: 'all-access',
};
export const ALL_ACCESS: Principal = { type: 'user', id: ALL_ACCESS_USER.id, user: ALL_ACCESS_USER };
const EVERY_ACTION: ReadonlySet<Action> = new Set(ALL_ACTIONS);

type Scheme = 'token' | 'bearer';

const NO_CREDENTIAL = startWith('auth', 'off', 'to accept requests without a credential');

/** Splits `Authorization: <scheme> <credential>`; the scheme is case-insensitive, as HTTP says. */
function parseAuthorization(header: string | undefined): { scheme: Scheme; credential: string } {
  if (header === undefined || header.trim() === '')
    throw unauthorized(
      `The request requires an authentication token: send "Authorization: token <API token>" or "Authorization: bearer <access token>".${NO_CREDENTIAL}`,
    );
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  const scheme = m?.[1].toLowerCase();
  if (!m || (scheme !== 'token' && scheme !== 'bearer')) {
    throw badRequest(`Malformed Authorization header: expected "token <API token>" or "bearer <access token>".${NO_CREDENTIAL}`);
  }
  return { scheme, credential: m[2] };
}

const TOKEN_KINDS: readonly CredentialRecord['kind'][] = ['user_token', 'api_key', 'access_token'];
const BEARER_KINDS: readonly CredentialRecord['kind'][] = [...TOKEN_KINDS, 'oauth_access_token'];

export class Principals {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Resolves a stored credential (by digest) to its principal, if it is valid now. */
  fromStoredCredential(secret: string, kinds?: readonly CredentialRecord['kind'][]): Principal | undefined {
    const cred = this.store.state.findCredential(secret, kinds);
    if (!cred) return undefined;
    if (cred.expires_at && Date.parse(cred.expires_at) <= this.clock.now().getTime()) return undefined;
    return this.byId(cred.principal_type, cred.principal_id, cred.id);
  }

  byId(type: Principal['type'], id: string, credential?: string): Principal | undefined {
    const state = this.store.state;
    if (type === 'user') {
      const user = state.get('users', id);
      return user && { type, id, user, credential };
    }
    const account = state.get('service_accounts', id);
    return account && { type, id, account, credential };
  }

  /**
   * Gate 1, synchronous: every credential is a digest lookup (OAuth access tokens included). `mode`
   * is --auth: `presence` lets an unknown but well-formed credential through, `off` anything; both
   * as ALL_ACCESS (a known credential is always its own principal).
   */
  authenticate(header: string | undefined, mode: AuthMode = 'strict'): Principal {
    let parsed;
    try {
      parsed = parseAuthorization(header);
    } catch (err) {
      if (mode === 'off') return ALL_ACCESS;
      throw err;
    }
    // client secrets obtain tokens at /oauth2/token; they are not API credentials themselves.
    // Tokens issued by /oauth2/token are recorded by digest too, and are OAuth bearer tokens only.
    const principal = this.fromStoredCredential(parsed.credential, parsed.scheme === 'bearer' ? BEARER_KINDS : TOKEN_KINDS);
    if (principal) return principal;
    if (mode !== 'strict') return ALL_ACCESS;
    throw apiError(
      401,
      `Authentication credentials not recognized, or the credential has expired or been revoked.${startWith('auth', 'presence', 'to accept any well-formed credential')}`,
    );
  }

  /** The principal of an Authorization header, or undefined (never throws): fault rules match on it. */
  identify(header: string | undefined, mode: AuthMode = 'strict'): Principal | undefined {
    try {
      return this.authenticate(header, mode);
    } catch {
      return undefined;
    }
  }

  grants(p: Principal): Grant[] {
    const state = this.store.state;
    if (p.type === 'service_account') {
      const role = state.get('roles', p.account.role_id);
      return role ? [{ level: p.account.level, scopeId: p.account.owner_id, roleId: role.id, actions: role.actions }] : [];
    }
    const out: Grant[] = [];
    for (const m of state.membershipsByUser.get(p.id) ?? []) {
      const role = state.get('roles', m.role_id);
      if (role) out.push({ level: m.level, scopeId: m.scope_id, roleId: role.id, actions: role.actions });
    }
    return out;
  }

  /** The org or group, if it exists. */
  target(level: Level, id: string): Target | undefined {
    const state = this.store.state;
    if (level === 'Group') return state.get('groups', id) ? { level, id } : undefined;
    const org = state.get('orgs', id);
    return org && { level, id, groupId: org.group_id };
  }

  /**
   * The permission gate, before anything inside the org/group is looked up: 404 when the principal
   * cannot read the org/group (or it does not exist), 403 when it can read but not do `action` on
   * `subject` (the org's or group's service accounts, or the org/group itself).
   */
  authorize(p: Principal, level: Level, id: string, action: Action, subject: Subject = 'service_account'): Target {
    const target = this.target(level, id);
    const what = level === 'Org' ? 'Org' : 'Group';
    const decision = target ? decide(p === ALL_ACCESS ? EVERY_ACTION : allowedActions(this.grants(p), target, subject), action) : 'not-found';
    if (decision === 'not-found') throw apiError(404, `${what} ${id} not found.`, { parameter: level === 'Org' ? 'org_id' : 'group_id' });
    if (decision === 'forbidden')
      throw apiError(403, `The credential lacks the ${permissionName(level, subject, action)} permission on this ${what.toLowerCase()}.`);
    return target!;
  }
}
