// private_key_jwt client authentication (RFC 7523 §2.2, OIDC Core §9) for oauth_private_key_jwt
// service accounts: an RS256 JWT whose `kid` is in the account's JWKS, iss = sub = client_id, an
// accepted `aud`, unexpired, and a `jti` never seen before. The JWKS is the account's inline `jwks`
// (fixtures, offline demos) or is fetched from its `jwks_url` and cached briefly.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import type { Clock } from '../settings/clock.js';
import type { ServiceAccountRecord } from '../schemas/store.js';
import { JsonInputError, parseJsonInput } from '../snyk/json-input.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The audience Snyk documents for client assertions. */
export const SNYK_TOKEN_URL = 'https://api.snyk.io/oauth2/token';

/** An assertion that does not authenticate its client; the message is safe to show to the client. */
export class ClientAssertionError extends Error {
  override name = 'ClientAssertionError';
}

/** The account's jwks_url could not be fetched (refused, DNS, TLS): the client's problem, not ours. */
class JwksFetchError extends Error {
  override name = 'JwksFetchError';
  constructor(err: unknown) {
    // undici says "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND…) in `cause`
    const e = err as { message?: string; cause?: { code?: string; message?: string } };
    const why = e?.cause?.code ?? e?.cause?.message;
    super(`${e?.message ?? String(err)}${why ? ` (${why})` : ''}`, { cause: err });
  }
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts an http:// jwks_url may name (when allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why a jwks_url is not acceptable, or undefined if it is: Snyk requires https; with
 * SNYK_MOCK_ALLOW_HTTP_JWKS the mock also takes http:// on a loopback host (tests serving a JWKS).
 */
export function jwksUrlProblem(raw: string, allowHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'jwks_url is not a valid URL.';
  }
  if (url.protocol === 'https:') return undefined;
  if (allowHttp && url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return allowHttp ? 'jwks_url must be an https URL, or an http URL on a loopback host (localhost, 127.0.0.0/8, [::1]).' : 'jwks_url must be an https URL.';
}

export interface ClientAssertionOptions {
  allowHttpJwks: boolean;
  /** how long a fetched JWKS is used before it is fetched again (ms) */
  jwksCacheTtlMs?: number;
  /** an unknown kid refetches the JWKS at most this often (ms), so key rotation is picked up quickly */
  jwksCooldownMs?: number;
  jwksTimeoutMs?: number;
  /** replay cache size: jti values remembered until their assertion expires */
  maxReplayEntries?: number;
  /** what fetches a jwks_url (default: the global fetch) */
  fetch?: typeof fetch;
  /** assertions may live at most this long (exp − now, seconds), which bounds the replay cache */
  maxLifetimeSeconds?: number;
}

const MAX_REMOTE_SETS = 256;

export interface VerifiedAssertion {
  clientId: string;
  jti: string;
  /** expiry, seconds since the epoch */
  exp: number;
}

export class ClientAssertions {
  private readonly opts: Required<ClientAssertionOptions>;
  /** jwks_url → jose's remote key set (it caches the document for jwksCacheTtlMs) */
  private readonly remote = new Map<string, JWTVerifyGetKey>();
  /** inline JWKS (by record object) → key set; entries go when the record does */
  private readonly inline = new WeakMap<object, JWTVerifyGetKey>();
  /** `client_id \0 jti` → expiry (ms); insertion order is oldest first */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    opts: ClientAssertionOptions,
  ) {
    this.opts = {
      jwksCacheTtlMs: 60_000,
      jwksCooldownMs: 1_000,
      jwksTimeoutMs: 5_000,
      maxReplayEntries: 50_000,
      maxLifetimeSeconds: 3600,
      fetch: (...args) => fetch(...args),
      ...opts,
    };
  }

  /** Why `url` cannot be a jwks_url under this server's policy (SNYK_MOCK_ALLOW_HTTP_JWKS), or undefined. */
  jwksUrlProblem(url: string): string | undefined {
    return jwksUrlProblem(url, this.opts.allowHttpJwks);
  }

  /** The client an assertion claims to come from (its `iss`), read unverified to find the account. */
  static claimedClient(assertion: string): string | undefined {
    try {
      const iss = decodeJwt(assertion).iss;
      return typeof iss === 'string' && iss !== '' ? iss : undefined;
    } catch {
      return undefined;
    }
  }

  /** Number of jti values remembered (for tests: the cache stays bounded). */
  get replayCacheSize(): number {
    return this.seen.size;
  }

  private keySet(account: ServiceAccountRecord): JWTVerifyGetKey {
    if (account.jwks) {
      let set = this.inline.get(account.jwks);
      if (!set) {
        try {
          set = createLocalJWKSet(account.jwks as unknown as JSONWebKeySet);
        } catch {
          throw new ClientAssertionError("The service account's inline JWKS is not a valid JSON Web Key Set.");
        }
        this.inline.set(account.jwks, set);
      }
      return set;
    }
    const url = account.jwks_url;
    if (!url) throw new ClientAssertionError('The service account has no JWKS (jwks_url) to verify client assertions with.');
    const problem = this.jwksUrlProblem(url);
    if (problem) throw new ClientAssertionError(`The service account's ${problem}`);
    let set = this.remote.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        cacheMaxAge: this.opts.jwksCacheTtlMs,
        cooldownDuration: this.opts.jwksCooldownMs,
        timeoutDuration: this.opts.jwksTimeoutMs,
        // fetch failures are told apart from everything else thrown while verifying (our own bugs
        // among them), which must not become a 401; timeouts stay as they are for jose's JWKSTimeout
        [customFetch]: (input: string, init: RequestInit) =>
          this.opts.fetch(input, init).catch((err: unknown) => {
            throw (err as Error)?.name === 'TimeoutError' ? err : new JwksFetchError(err);
          }),
      });
      if (this.remote.size >= MAX_REMOTE_SETS) this.remote.delete(this.remote.keys().next().value!);
      this.remote.set(url, set);
    }
    return set;
  }

  /**
   * Verifies `assertion` as a client assertion of `account`, with `audiences` the accepted `aud`
   * values; records its jti so it cannot be replayed. Throws ClientAssertionError when the assertion
   * does not authenticate the client; anything else thrown (a bug) propagates as it is.
   */
  async verify(assertion: string, account: ServiceAccountRecord, audiences: readonly string[]): Promise<VerifiedAssertion> {
    const clientId = account.client_id;
    if (!clientId) throw new ClientAssertionError('The service account has no client_id.');
    let header;
    try {
      header = decodeProtectedHeader(assertion);
    } catch {
      throw new ClientAssertionError('client_assertion is not a signed JWT.');
    }
    // its JSON read as Go reads it (lone surrogates → U+FFFD), nested no deeper than a body may be
    try {
      header = parseJsonInput(Buffer.from(assertion.slice(0, assertion.indexOf('.')), 'base64url').toString('utf8')).value as typeof header;
    } catch (err) {
      if (err instanceof JsonInputError) throw new ClientAssertionError(`client_assertion's header ${err.detail}.`);
      throw err;
    }
    if (assertion.split('.').length !== 3) throw new ClientAssertionError('client_assertion is not a signed JWT (JWS compact serialization).');
    if (header.alg !== 'RS256') throw new ClientAssertionError(`client_assertion must be signed with RS256, not ${String(header.alg)}.`);
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new ClientAssertionError('client_assertion needs a "kid" header naming a key of the service account\'s JWKS.');
    }
    const keys = this.keySet(account);
    const now = this.clock.now();
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, keys, {
        algorithms: ['RS256'],
        issuer: clientId,
        subject: clientId,
        audience: [...audiences],
        requiredClaims: ['exp', 'jti'],
        currentDate: now,
      }));
    } catch (err) {
      const reason = describe(err, header.kid, clientId, audiences);
      if (reason === undefined) throw err;
      throw new ClientAssertionError(reason);
    }
    const exp = payload.exp!;
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti === '') throw new ClientAssertionError('client_assertion claim "jti" must be a non-empty string.');
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (exp - nowSeconds > this.opts.maxLifetimeSeconds) {
      throw new ClientAssertionError(
        `client_assertion "exp" is too far in the future: at most ${this.opts.maxLifetimeSeconds} seconds from now (5 minutes is usual).`,
      );
    }
    // checked and recorded synchronously after the signature check, so a forged assertion cannot
    // burn a jti and two concurrent uses of one assertion cannot both pass
    const key = `${clientId}\0${jti}`;
    const seenUntil = this.seen.get(key);
    if (seenUntil !== undefined && seenUntil > now.getTime()) {
      throw new ClientAssertionError('client_assertion has already been used (its "jti" was seen before); sign a new one for every token request.');
    }
    this.remember(key, exp * 1000, now.getTime());
    return { clientId, jti, exp };
  }

  private remember(key: string, untilMs: number, nowMs: number): void {
    this.seen.delete(key);
    if (this.seen.size >= this.opts.maxReplayEntries) {
      for (const [k, until] of this.seen) if (until <= nowMs) this.seen.delete(k);
      // still full of live entries: forget the oldest (replay protection is best-effort past this size)
      while (this.seen.size >= this.opts.maxReplayEntries) this.seen.delete(this.seen.keys().next().value!);
    }
    this.seen.set(key, untilMs);
  }
}

/**
 * A jose or JWKS fetch failure → what the client is told (no secrets are involved, so it can be
 * specific); undefined for anything else, which is not the client's fault.
 */
function describe(err: unknown, kid: string, clientId: string, audiences: readonly string[]): string | undefined {
  if (err instanceof ClientAssertionError) return err.message;
  if (err instanceof JwksFetchError) return `Could not fetch the service account's JWKS from its jwks_url: ${err.message}.`;
  if (err instanceof errors.JWKSNoMatchingKey) return `No key with kid "${kid}" in the service account's JWKS.`;
  if (err instanceof errors.JWKSMultipleMatchingKeys) return `More than one key with kid "${kid}" in the service account's JWKS verifies; kids must be unique.`;
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return `client_assertion signature does not verify with key "${kid}" of the service account's JWKS.`;
  if (err instanceof errors.JWTExpired) return 'client_assertion has expired ("exp" is not in the future).';
  if (err instanceof errors.JWTClaimValidationFailed) {
    switch (err.claim) {
      case 'aud':
        return `client_assertion "aud" must be one of: ${audiences.join(', ')}.`;
      case 'iss':
        return `client_assertion "iss" must be the client_id (${clientId}).`;
      case 'sub':
        return `client_assertion "sub" must be the client_id (${clientId}).`;
      default:
        return `client_assertion claim "${err.claim}" is invalid: ${err.message}.`;
    }
  }
  if (err instanceof errors.JWKSTimeout) return "Timed out fetching the service account's JWKS from its jwks_url.";
  if (err instanceof errors.JOSEAlgNotAllowed) return 'client_assertion must be signed with RS256.';
  if (err instanceof errors.JWKSInvalid) return "The service account's jwks_url did not return a valid JSON Web Key Set.";
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return `client_assertion is not a valid JWT: ${(err as Error).message}.`;
  if (err instanceof errors.JOSEError) return `client_assertion could not be verified: ${err.message}.`;
  return undefined;
}
