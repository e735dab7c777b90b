// Shared pieces of the OAuth and credential tests: a controllable clock, form requests to /oauth2,
// client assertions signed with the demo key (or any key), and a JWKS served on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type tap from 'tap';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../../src/settings/clock.js';
import { call, createBody, TOKENS, V } from '../helper.js';

export const SNYK_TOKEN_URL = 'https://api.snyk.io/oauth2/token';
/** the mock's own token URL as app.inject() reaches it (Host: localhost:80) */
export const INJECT_TOKEN_URL = 'http://localhost:80/oauth2/token';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Seeded OAuth clients of fixtures/default.json. */
export const CLIENTS = {
  frontendDeployer: { id: 'c1000000-0000-4000-8000-000000000002', secret: 'demo-secret-frontend-deployer', account: '5a000000-0000-4000-8000-000000000002' },
  backendDeployer: { id: 'c1000000-0000-4000-8000-000000000007', secret: 'demo-secret-backend-deployer', account: '5a000000-0000-4000-8000-000000000007' },
  groupOauth: { id: 'c1000000-0000-4000-8000-000000000011', secret: 'demo-secret-group-oauth', account: '5a000000-0000-4000-8000-000000000011' },
  frontendSigner: { id: 'c1000000-0000-4000-8000-000000000003', account: '5a000000-0000-4000-8000-000000000003' },
  groupSigner: { id: 'c1000000-0000-4000-8000-000000000012', account: '5a000000-0000-4000-8000-000000000012' },
} as const;

/** A tap test, as the callbacks of t.test() receive it. */
export type Tap = Parameters<Parameters<typeof tap.test>[0]>[0];

/** A clock tests move by hand: expiry is tested without waiting. */
export class TestClock implements Clock {
  constructor(private ms = Date.now()) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** POST a form to /oauth2/<endpoint>. */
export function oauthPost(app: FastifyInstance, endpoint: 'token' | 'revoke', fields: Record<string, string> | string, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/oauth2/${endpoint}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: typeof fields === 'string' ? fields : form(fields),
  });
}

export const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`,
});

/** A client_credentials token with client_id + client_secret in the body; asserts 200. */
export async function tokenFor(app: FastifyInstance, clientId: string, secret: string): Promise<string> {
  const res = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return res.json().access_token;
}

/** Asserts an OAuth error: status, `error`, JSON, no-store, exactly {error, error_description}. */
export function expectOAuthError(t: Tap, res: LightMyRequestResponse, status: number, error: string, description?: RegExp) {
  t.equal(res.statusCode, status, `${status} ${error}: ${res.body.slice(0, 300)}`);
  t.match(res.headers['content-type'], /^application\/json/);
  t.equal(res.headers['cache-control'], 'no-store');
  const body = res.json();
  t.same(Object.keys(body).sort(), ['error', 'error_description']);
  t.equal(body.error, error);
  if (description) t.match(body.error_description, description);
  return body as { error: string; error_description: string };
}

export function demoSignerKey(): Promise<CryptoKey> {
  const jwk = JSON.parse(readFileSync(new URL('../../fixtures/demo-keys/signer-private.jwk.json', import.meta.url), 'utf8')) as JWK;
  return importJWK(jwk, 'RS256') as Promise<CryptoKey>;
}
export const DEMO_KID = 'snyk-mock-demo-signer-1';

/** A fresh RSA key pair and its public JWK (with kid) for a JWKS. */
export async function rsaKey(kid: string): Promise<{ privateKey: CryptoKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export interface AssertionOptions {
  key: CryptoKey;
  kid?: string;
  clientId: string;
  aud?: string | string[];
  /** seconds from `now` */
  expiresIn?: number;
  jti?: string;
  iss?: string;
  sub?: string;
  now?: Date;
  alg?: string;
}

/** A client assertion as Snyk documents it: RS256, kid, iss = sub = client_id, aud, exp, jti, iat. */
export function signAssertion(o: AssertionOptions): Promise<string> {
  const now = Math.floor((o.now ?? new Date()).getTime() / 1000);
  const header: { alg: string; kid?: string } = { alg: o.alg ?? 'RS256' };
  if (o.kid !== '') header.kid = o.kid ?? DEMO_KID;
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(o.iss ?? o.clientId)
    .setSubject(o.sub ?? o.clientId)
    .setAudience(o.aud ?? SNYK_TOKEN_URL)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresIn ?? 300))
    .setJti(o.jti ?? randomUUID())
    .sign(o.key);
}

export const assertionForm = (assertion: string, extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_assertion_type: JWT_BEARER,
  client_assertion: assertion,
  ...extra,
});

/** A JWKS served over http on 127.0.0.1; `keys` can be changed (rotation); counts fetches. */
export async function jwksServer(t: Tap, keys: JWK[]): Promise<{ url: string; setKeys(k: JWK[]): void; fetches(): number; server: Server }> {
  let current = keys;
  let count = 0;
  const server = createServer((req, res) => {
    count++;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/jwks.json`, setKeys: (k) => (current = k), fetches: () => count, server };
}

/** Creates an account through the API (demo admin token by default); returns the create response. */
export async function createAccount(app: FastifyInstance, path: string, attributes: Record<string, unknown>, token: string = TOKENS.admin) {
  return call(app, { method: 'POST', url: `${path}?version=${V}`, payload: createBody(attributes), token });
}

/** GET/POST/DELETE a /rest URL with `Authorization: <scheme> <credential>`. */
export function rest(
  app: FastifyInstance,
  opts: { method?: 'GET' | 'POST' | 'DELETE' | 'PATCH'; url: string; scheme?: 'token' | 'bearer'; credential: string; payload?: unknown },
) {
  const sep = opts.url.includes('?') ? '&' : '?';
  return app.inject({
    method: opts.method ?? 'GET',
    url: `${opts.url}${sep}version=${V}`,
    headers: {
      authorization: `${opts.scheme ?? 'token'} ${opts.credential}`,
      ...(opts.payload !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}),
    },
    ...(opts.payload !== undefined ? { payload: JSON.stringify(opts.payload) } : {}),
  });
}
