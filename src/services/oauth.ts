// The OAuth 2.0 side of service accounts: /oauth2/token (client_credentials with a client secret or
// a private_key_jwt assertion), /oauth2/revoke, and the mock's signing key (/oauth2/jwks). The
// route reads the HTTP request (routes/oauth/form.ts); this is what is done with it.
//
// Issued access tokens are JWTs signed with a key generated per process, AND are recorded in the
// store like every other credential (SHA-256 digest of the whole token, kind oauth_access_token,
// expires_at). `Authorization: bearer <jwt>` is therefore an ordinary digest lookup: it survives
// restarts (the signing key does not need to), and revocation or deleting the account is immediate.
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Clock, Scheduler } from '../settings/clock.js';
import { credentialRecord, type ServiceAccountRecord } from '../schemas/store.js';
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from '../snyk/credentials.js';
import type { Change } from '../store/state.js';
import type { Store } from '../store/store.js';
import { ClientAssertionError, ClientAssertions, JWT_BEARER, SNYK_TOKEN_URL } from './client-assertion.js';
import { BASIC_CHALLENGE, invalidRequest, OAuthError } from './oauth-error.js';

/** RFC 6749 §5.1 */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  bot_id: string;
}

/** The client authentication a request carries, as the route read it (RFC 6749 §2.3, RFC 7523 §2.2). */
export interface ClientCredentials {
  /** HTTP Basic: id and secret */
  basic?: { clientId: string; clientSecret: string };
  clientId?: string;
  clientSecret?: string;
  assertionType?: string;
  assertion?: string;
}

interface OAuthRequest {
  client: ClientCredentials;
  /** `${protocol}://${host}` the client called: the issuer, the token audience, and an accepted assertion `aud` */
  origin: string;
}

/** A token request whose grant type the endpoint knows (the route refuses the others). */
export interface TokenRequest extends OAuthRequest {
  grant: 'client_credentials' | 'authorization_code' | 'refresh_token';
}

/** A revocation request: the access token to revoke. */
export interface RevokeRequest extends OAuthRequest {
  token: string;
}

const SNYK_REVOKE_URL = 'https://api.snyk.io/oauth2/revoke';
/** live tokens kept per account; issuing one more revokes the oldest (keeps issued-token state bounded) */
export const MAX_LIVE_TOKENS_PER_ACCOUNT = 1000;
const PURGE_INTERVAL_MS = 60_000;
const SIGNING_ALG = 'ES256';
/** The `scope` of service-account tokens: they are governed by the account's role, not by scopes. */
const SERVICE_ACCOUNT_SCOPE = '';

export interface OAuthOptions {
  store: Store;
  /** the server clock: what the mock issues (token iat/exp) and the purge */
  clock: Clock;
  /**
   * private_key_jwt verification (with its jwks_url policy); built on real time: client assertions
   * are stamped by their client with it, so they are checked against it
   */
  assertions: ClientAssertions;
}

type ClientAuth = { account: ServiceAccountRecord; method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' };

export class OAuth {
  private lastPurge = 0;

  private constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly assertions: ClientAssertions,
    private readonly signingKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  /** Generates this process's signing key (ES256; its kid is the JWK thumbprint). */
  static async create(opts: OAuthOptions): Promise<OAuth> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG);
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    return new OAuth(opts.store, opts.clock, opts.assertions, privateKey, { ...jwk, kid, alg: SIGNING_ALG, use: 'sig' });
  }

  /** The public half of the signing key, as GET /oauth2/jwks publishes it. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  get kid(): string {
    return this.publicJwk.kid!;
  }

  // ---- /oauth2/token -------------------------------------------------------------------------

  async token(req: TokenRequest): Promise<TokenResponse> {
    const { account } = await this.authenticateClient(req.client, tokenAudiences(req.origin));
    if (req.grant === 'client_credentials') return this.issue(account, req.origin);
    // grants Snyk's OAuth API has for Snyk Apps: the mock never issues codes or refresh tokens,
    // so after client authentication any code or refresh token is an invalid grant
    throw new OAuthError(
      400,
      'invalid_grant',
      req.grant === 'authorization_code'
        ? 'The authorization code is invalid: this mock issues no authorization codes (service accounts use grant_type=client_credentials).'
        : 'The refresh token is invalid: client_credentials grants come without refresh tokens; request a new access token instead.',
    );
  }

  /** Mints a token for `sa`, records its digest, and purges expired credentials when due. */
  private async issue(sa: ServiceAccountRecord, origin: string): Promise<TokenResponse> {
    const now = this.clock.now();
    const iat = Math.floor(now.getTime() / 1000);
    const ttl = sa.access_token_ttl_seconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
    const exp = iat + ttl;
    // RFC 9068 (JWT access tokens): aud is the API the token is for; Snyk's Go framework reads the
    // API URL from it (GetAudienceClaimFromOauthToken), so it names this mock
    const accessToken = await new SignJWT({ scope: SERVICE_ACCOUNT_SCOPE, client_id: sa.client_id })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: this.kid, typ: 'at+jwt' })
      .setIssuer(origin)
      .setSubject(sa.id)
      .setAudience([origin])
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.signingKey);

    // signing awaited: re-check that the account still exists before writing (checks are synchronous with the commit)
    const state = this.store.state;
    if (!state.get('service_accounts', sa.id)) throw new OAuthError(401, 'invalid_client', 'The service account was deleted.');
    const record = credentialRecord(accessToken, {
      kind: 'oauth_access_token',
      principal_type: 'service_account',
      principal_id: sa.id,
      created_at: now.toISOString(),
      expires_at: new Date(exp * 1000).toISOString(),
    });
    const changes: Change[] = [{ op: 'put', coll: 'credentials', value: record }];
    const expired = this.expiredChanges(now.getTime(), true);
    changes.push(...expired);
    changes.push(...this.overCapChanges(sa.id, now.getTime(), new Set(expired.map((c) => (c as { id: string }).id))));
    await this.store.commit(changes);
    return { access_token: accessToken, token_type: 'bearer', expires_in: ttl, scope: SERVICE_ACCOUNT_SCOPE, bot_id: sa.id };
  }

  // ---- /oauth2/revoke (RFC 7009) -------------------------------------------------------------

  /**
   * Revokes an access token of the authenticated client. Unknown, expired or already revoked
   * tokens are not an error (RFC 7009 §2.2); a token of another client is refused.
   */
  async revoke(req: RevokeRequest): Promise<void> {
    const { account } = await this.authenticateClient(req.client, [...tokenAudiences(req.origin), SNYK_REVOKE_URL, `${req.origin}/oauth2/revoke`]);
    const cred = this.store.state.findCredential(req.token, ['oauth_access_token']);
    if (!cred) return;
    if (cred.principal_id !== account.id) throw new OAuthError(400, 'unauthorized_client', 'The token was not issued to this client.');
    await this.store.commit([{ op: 'del', coll: 'credentials', id: cred.id }]);
  }

  // ---- client authentication (RFC 6749 §2.3, RFC 7523 §2.2) ----------------------------------

  private async authenticateClient(client: ClientCredentials, audiences: string[]): Promise<ClientAuth> {
    const { basic, clientId, clientSecret, assertionType, assertion } = client;
    const usesAssertion = assertionType !== undefined || assertion !== undefined;
    const methods = [basic !== undefined, clientSecret !== undefined, usesAssertion].filter(Boolean).length;
    if (methods > 1) {
      throw invalidRequest('Use exactly one client authentication method: HTTP Basic, client_id + client_secret in the body, or client_assertion.');
    }

    if (basic) {
      if (clientId !== undefined && clientId !== basic.clientId)
        throw invalidRequest('client_id in the body does not match the client authenticated with HTTP Basic.');
      return { account: this.bySecret(basic.clientId, basic.clientSecret, true), method: 'client_secret_basic' };
    }
    if (usesAssertion) {
      if (assertionType === undefined) throw invalidRequest(`client_assertion_type is required with client_assertion (${JWT_BEARER}).`);
      if (assertion === undefined) throw invalidRequest('client_assertion is required with client_assertion_type.');
      if (assertionType !== JWT_BEARER) {
        throw new OAuthError(401, 'invalid_client', `client_assertion_type "${assertionType}" is not supported; use ${JWT_BEARER}.`);
      }
      return { account: await this.byAssertion(assertion, clientId, audiences), method: 'private_key_jwt' };
    }
    if (clientSecret !== undefined) {
      if (clientId === undefined) throw invalidRequest('client_id is required with client_secret.');
      return { account: this.bySecret(clientId, clientSecret, false), method: 'client_secret_post' };
    }
    throw new OAuthError(
      401,
      'invalid_client',
      clientId === undefined
        ? 'Client authentication is required: client_id + client_secret (body or HTTP Basic), or a client_assertion.'
        : 'Client authentication is required: send client_secret with client_id, or a client_assertion.',
    );
  }

  private bySecret(clientId: string, secret: string, basic: boolean): ServiceAccountRecord {
    const fail = (d: string) => new OAuthError(401, 'invalid_client', d, basic ? BASIC_CHALLENGE : {});
    const state = this.store.state;
    const sa = state.saByClientId.get(clientId);
    if (!sa) throw fail('Client authentication failed: unknown client_id.');
    if (sa.auth_type !== 'oauth_client_secret') {
      throw fail('Client authentication failed: this client authenticates with private_key_jwt (client_assertion), not a client secret.');
    }
    if (state.findCredential(secret, ['client_secret'])?.principal_id !== sa.id) {
      throw fail('Client authentication failed: wrong client_secret (rotated secrets stop working at once).');
    }
    return sa;
  }

  private async byAssertion(assertion: string, clientId: string | undefined, audiences: string[]): Promise<ServiceAccountRecord> {
    const fail = (d: string) => new OAuthError(401, 'invalid_client', d);
    const iss = ClientAssertions.claimedClient(assertion);
    if (iss === undefined) throw fail('client_assertion is not a JWT with an "iss" claim (the client_id).');
    if (clientId !== undefined && clientId !== iss) throw fail('client_assertion "iss" must equal client_id.');
    const sa = this.store.state.saByClientId.get(iss);
    if (!sa) throw fail('Client authentication failed: unknown client_id.');
    if (sa.auth_type !== 'oauth_private_key_jwt') {
      throw fail('Client authentication failed: this client authenticates with a client secret, not a client_assertion.');
    }
    try {
      await this.assertions.verify(assertion, sa, audiences);
    } catch (err) {
      if (err instanceof ClientAssertionError) throw fail(err.message);
      throw err;
    }
    // the key fetch awaited: the account may have gone meanwhile
    const current = this.store.state.saByClientId.get(iss);
    if (!current || current.id !== sa.id) throw fail('Client authentication failed: unknown client_id.');
    return current;
  }

  // ---- bounded issued-token state ------------------------------------------------------------

  /** Deletions of every credential (any kind) whose expires_at has passed; when due unless forced. */
  private expiredChanges(nowMs: number, onlyIfDue: boolean): Change[] {
    if (onlyIfDue && nowMs - this.lastPurge < PURGE_INTERVAL_MS) return [];
    this.lastPurge = nowMs;
    const out: Change[] = [];
    for (const c of this.store.data.credentials) {
      if (c.expires_at && Date.parse(c.expires_at) <= nowMs) out.push({ op: 'del', coll: 'credentials', id: c.id });
    }
    return out;
  }

  /** With the new token, an account over MAX_LIVE_TOKENS_PER_ACCOUNT loses its oldest tokens. */
  private overCapChanges(accountId: string, nowMs: number, going: Set<string>): Change[] {
    const live = [...(this.store.state.credentialsByPrincipal.get(accountId) ?? [])].filter(
      (c) => c.kind === 'oauth_access_token' && !going.has(c.id) && !(c.expires_at && Date.parse(c.expires_at) <= nowMs),
    );
    // the new token is already counted: it was put in the same commit, after this scan
    const excess = live.length + 1 - MAX_LIVE_TOKENS_PER_ACCOUNT;
    if (excess <= 0) return [];
    live.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    return live.slice(0, excess).map((c): Change => ({ op: 'del', coll: 'credentials', id: c.id }));
  }

  /** Deletes every expired credential record in one commit; returns how many. */
  async purgeExpired(): Promise<number> {
    const changes = this.expiredChanges(this.clock.now().getTime(), false);
    if (changes.length > 0) await this.store.commit(changes);
    return changes.length;
  }

  /** Purges on `scheduler` every PURGE_INTERVAL_MS; returns the function that stops it. */
  purgeEvery(scheduler: Scheduler, onError: (err: unknown) => void): () => void {
    return scheduler.every(PURGE_INTERVAL_MS, () => {
      this.purgeExpired().catch(onError);
    });
  }
}

/**
 * Accepted `aud` of a client assertion at the token endpoint: Snyk's token URL, this mock's, or
 * the mock's origin, which is the issuer of its tokens: RFC 7523 §3 takes any value identifying the
 * authorization server, and OAuth clients such as openid-client put the issuer there by default.
 */
function tokenAudiences(origin: string): string[] {
  return [SNYK_TOKEN_URL, `${origin}/oauth2/token`, origin];
}
