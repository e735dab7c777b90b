// Minting and checking credentials. Every secret is a high-entropy random value, so a fast digest
// (SHA-256) is as safe as a slow password hash and costs nothing per request; only digests are kept.
import * as crypto from 'node:crypto';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Access-token lifetime of an oauth_* account that names none: "Defaults to 1 hour if unset" (the spec). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;

// Node's one-shot hash (20.12+) is a third of createHash's cost, and every request digests its credential
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export const digest: (secret: string) => string = oneShot
  ? (secret) => oneShot('sha256', secret, 'hex')
  : (secret) => createHash('sha256').update(secret).digest('hex');

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Snyk API keys are UUIDs (clients such as Snyk's Go framework check for that format). */
export const mintApiKey = (): string => randomUUID();

/** OAuth client ids are UUIDs too, distinct from the account id. */
export const mintClientId = (): string => randomUUID();

export const mintClientSecret = (): string => randomBytes(32).toString('base64url');

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A service-account access token in Snyk's PAT format `snyk_sat.<8 lowercase alnum>.<payload>.<checksum>`,
 * where the payload is base64url JSON whose `h` claim is the API host (Snyk's go-application-framework,
 * ExtractClaimsFromPAT, reads it to find the API URL), so the mock names itself there.
 */
export function mintAccessToken(claims: { host: string; subject: string; expiresAt: Date }): string {
  const bytes = randomBytes(8);
  const region = Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
  const payload = Buffer.from(
    JSON.stringify({ j: randomUUID(), s: claims.subject, e: Math.floor(claims.expiresAt.getTime() / 1000), h: claims.host }),
  ).toString('base64url');
  return `snyk_sat.${region}.${payload}.${randomBytes(24).toString('base64url')}`;
}

export const ACCESS_TOKEN_RE = /^snyk_(?:uat|sat)\.[a-z0-9]{8}\.[a-zA-Z0-9_-]+\.[a-zA-Z0-9_-]+$/;
