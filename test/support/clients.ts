// What every client of the matrix (test/clients/) does, so they all walk the same lifecycle: at
// each level, create an account of each auth type that needs no outside service, page through the
// list by links.next, get, rename, manage secrets (replace, create, delete), delete, then 404.
import { IDS, V } from '../helper.js';

export { V };
export type AuthType = 'api_key' | 'oauth_client_secret' | 'oauth_private_key_jwt' | 'access_token';

export const LEVELS = [
  { level: 'Org', segment: 'orgs', owner: IDS.frontend, other: IDS.backend, role: IDS.roles.orgAdmin },
  { level: 'Group', segment: 'groups', owner: IDS.acmeGroup, other: IDS.otherGroup, role: IDS.roles.groupAdmin },
] as const;
export type LevelCase = (typeof LEVELS)[number];

/** Create attributes per auth type; none contacts anything at create time (jwks_url is only fetched at token time). */
export function createAttributes(name: string, role: string, auth_type: AuthType) {
  const extra = {
    api_key: {},
    oauth_client_secret: { access_token_ttl_seconds: 3600 },
    oauth_private_key_jwt: { jwks_url: 'https://keys.example/.well-known/jwks.json' },
    access_token: { access_token_expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  }[auth_type];
  return { name, role_id: role, auth_type, ...extra };
}
export const AUTH_TYPES: AuthType[] = ['api_key', 'oauth_client_secret', 'oauth_private_key_jwt', 'access_token'];

/** Accounts created so that the list spans several pages of `PAGE_LIMIT`. */
export const PAGE_LIMIT = 10;
export const FILLER_ACCOUNTS = 3;

/** The query parameters of a `links.next` (a path relative to /rest), for typed clients that take them one by one. */
export function linkQuery(link: string): Record<string, string> {
  return Object.fromEntries(new URL(link, 'http://relative.invalid').searchParams);
}
