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

/** 2026-11-23 16:03 UTC (with `seconds`, 2026-11-23 16:03:09 UTC) */
export const utc = (iso: string, seconds = false): string =>
  Number.isNaN(Date.parse(iso))
    ? iso
    : `${new Date(iso)
        .toISOString()
        .slice(0, seconds ? 19 : 16)
        .replace('T', ' ')} UTC`;

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

/** A principal as the page names it: "account frontend-ci", "user Demo Admin" (a short id when the name is not on the page). */
export const principalName = (p: { type: string; id: string } | null, names: Map<string, string>): string =>
  p ? `${p.type === 'service_account' ? 'account' : p.type} ${names.get(p.id) ?? shortId(p.id)}` : '—';

/** A journal entry's query as `?a=1&b=2` (a repeated parameter, an array, once per value). */
export function queryString(query: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  const qs = q.toString();
  return qs ? `?${qs}` : '';
}
