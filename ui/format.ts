// How values read on the page: relative times against the mock's clock, and plain-word labels.

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400_000],
  ['month', 30 * 86400_000],
  ['day', 86400_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "in 3 days", "5 minutes ago": `iso` against `now` (the mock's clock, which tests may move). */
export function fromNow(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (Number.isNaN(diff)) return iso;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return relative.format(Math.round(diff / ms), unit);
  }
  return iso;
}

/** 2026-11-23 16:03 UTC */
export const utc = (iso: string): string => (Number.isNaN(Date.parse(iso)) ? iso : `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

export const AUTH_TYPE_LABELS: Record<string, string> = {
  api_key: 'API key',
  oauth_client_secret: 'OAuth client secret',
  oauth_private_key_jwt: 'OAuth private key JWT',
  access_token: 'Access token',
};

export const CREDENTIAL_LABELS: Record<string, string> = {
  api_key: 'API key',
  client_secret: 'client secret',
  access_token: 'access token',
};

export const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/** A journal entry's fault or switch, whatever its shape: a name if it has one. */
export function describe(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'string' || typeof value === 'number' || value === true) return String(value);
  const v = value as Record<string, unknown>;
  for (const key of ['name', 'kind', 'type', 'id']) if (typeof v[key] === 'string') return v[key] as string;
  return JSON.stringify(value);
}

/** A journal entry's query, as `?a=1&b=2`, whether the journal sends a string or an object. */
export function queryString(query: unknown): string {
  if (!query) return '';
  if (typeof query === 'string') return query.startsWith('?') || query === '' ? query : `?${query}`;
  if (typeof query === 'object') {
    const qs = new URLSearchParams(Object.entries(query as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
    return qs ? `?${qs}` : '';
  }
  return '';
}
