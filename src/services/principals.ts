// Who is calling: the Authorization header → a principal (user or service account), and what that
// principal may do where. Credential checks are digest lookups; expiry reads the one clock.
import type { Clock } from '../clock.js';
import { apiError, badRequest, unauthorized } from '../snyk/errors.js';
import { allowedActions, decide, permissionName, type Action, type Grant, type Level, type Subject, type Target } from '../snyk/permissions.js';
import type { CredentialRecord, ServiceAccountRecord, UserRecord } from '../schemas/store.js';
import type { Store } from '../store/store.js';

export type Principal =
  | { type: 'user'; id: string; user: UserRecord }
  | { type: 'service_account'; id: string; account: ServiceAccountRecord };

export type Scheme = 'token' | 'bearer';

/** Splits `Authorization: <scheme> <credential>`; the scheme is case-insensitive, as HTTP says. */
export function parseAuthorization(header: string | undefined): { scheme: Scheme; credential: string } {
  if (header === undefined || header.trim() === '') throw unauthorized('The request requires an authentication token: send "Authorization: token <API token>" or "Authorization: bearer <access token>".');
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  const scheme = m?.[1].toLowerCase();
  if (!m || (scheme !== 'token' && scheme !== 'bearer')) {
    throw badRequest('Malformed Authorization header: expected "token <API token>" or "bearer <access token>".');
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
    return this.byId(cred.principal_type, cred.principal_id);
  }

  byId(type: Principal['type'], id: string): Principal | undefined {
    const state = this.store.state;
    if (type === 'user') {
      const user = state.get('users', id);
      return user && { type, id, user };
    }
    const account = state.get('service_accounts', id);
    return account && { type, id, account };
  }

  /** Gate 1, synchronous: every credential is a digest lookup (OAuth access tokens included). */
  authenticate(header: string | undefined): Principal {
    const { scheme, credential } = parseAuthorization(header);
    // client secrets obtain tokens at /oauth2/token; they are not API credentials themselves.
    // Tokens issued by /oauth2/token are recorded by digest too, and are OAuth bearer tokens only.
    const principal = this.fromStoredCredential(credential, scheme === 'bearer' ? BEARER_KINDS : TOKEN_KINDS);
    if (!principal) throw apiError(401, 'Authentication credentials not recognized, or the credential has expired or been revoked.');
    return principal;
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
    const decision = target ? decide(allowedActions(this.grants(p), target, subject), action) : 'not-found';
    if (decision === 'not-found') throw apiError(404, `${what} ${id} not found.`, { parameter: level === 'Org' ? 'org_id' : 'group_id' });
    if (decision === 'forbidden') throw apiError(403, `The credential lacks the ${permissionName(level, subject, action)} permission on this ${what.toLowerCase()}.`);
    return target!;
  }
}
