// Secret redaction, for the log lines and the request journal: credentials never reach either.
// Every member named like a secret is censored wherever it appears (up to a depth), and so are
// the values of secret-named query parameters in a URL.

/** Member names whose value is a credential, in every casing the code base and OAuth use. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'client_secrets',
  'clientSecret',
  'client_assertion',
  'api_key',
  'apiKey',
  'access_token',
  'accessToken',
  'refresh_token',
  'id_token',
  'token',
  'secret',
  'password',
  'private_key',
  'privateKey',
  'adminSecret',
  'demoToken',
  'body',
  'payload',
];

/** pino `redact` paths for the request headers that carry credentials (cheap: fixed paths). */
export const REDACT: string[] = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

export const CENSOR = '[Redacted]';
const SECRET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));
/** what isSecretKey answered for each member name seen, up to a bound (the same few names recur on every line) */
const secretByName = new Map<string, boolean>();
const isSecretKey = (name: string): boolean => {
  let secret = secretByName.get(name);
  if (secret === undefined) {
    secret = SECRET.has(name.toLowerCase());
    if (secretByName.size < 1024) secretByName.set(name, secret);
  }
  return secret;
};
const MAX_DEPTH = 4;

/**
 * Every member named like a secret, down to four levels (or `maxDepth`), censored; copies only
 * what it changes. A walk over the record rather than pino's wildcard redact paths, which are far
 * slower (docs/decisions/0006-redaction-walk.md).
 */
export function redactSecrets<T>(value: T, depth = 0, maxDepth = MAX_DEPTH): T {
  if (value === null || typeof value !== 'object' || depth >= maxDepth || value instanceof Error) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = redactSecrets(v, depth + 1, maxDepth);
      if (r !== v) (out ??= [...value])[i] = r;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    const r = isSecretKey(k) ? CENSOR : redactSecrets(v, depth + 1, maxDepth);
    if (r !== v) (out ??= { ...record })[k] = r;
  }
  return (out ?? value) as T;
}

const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_KEYS.join('|')})=)[^&]*`, 'gi');

/** Whether a query parameter's name names a secret; `url.slice(from, to)` is the name. */
function secretName(url: string, from: number, to: number): boolean {
  return to > from && SECRET.has(url.slice(from, to).toLowerCase());
}

/**
 * The request URL with the values of secret-named query parameters redacted (clients do put them
 * there). The names are checked first and the URL is rewritten only when one is a secret's.
 */
export function redactUrl(url: string): string {
  let at = url.indexOf('?');
  while (at !== -1) {
    const next = url.indexOf('&', at + 1);
    const end = next === -1 ? url.length : next;
    const eq = url.indexOf('=', at + 1);
    if (eq !== -1 && eq < end && secretName(url, at + 1, eq)) return url.replace(SECRET_PARAM, '$1[Redacted]');
    at = next;
  }
  return url;
}
