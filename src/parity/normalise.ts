// The normalisation rules, in one place for the recorder, the comparer, the CLI and the tests: which
// values are secrets, which may differ in value but not in form (ids, times, secrets, cursors), which
// are free text, and which headers are compared and how.

/** JSON keys (request or response) whose string values are secrets (not `code`: errors carry one). */
export const SECRET_KEYS = new Set([
  'api_key',
  'client_secret',
  'secret',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'client_assertion',
  'private_key',
  'password',
  'code_verifier',
]);
/** Form and query parameters that carry secrets (OAuth). */
export const SECRET_PARAMS = new Set(['client_secret', 'client_assertion', 'token', 'refresh_token', 'code', 'code_verifier', 'access_token', 'api_key']);
/** Request headers that are recorded; `authorization` has its credential redacted. */
export const RECORDED_REQUEST_HEADERS = ['content-type', 'accept', 'authorization'];
/** Response headers that are the connection's, not the API's: not recorded. */
export const UNRECORDED_RESPONSE_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'set-cookie',
  'etag',
  'vary',
  'server',
]);

/** Keys whose values are issued per run: compared by form, and mapped from the upstream's to the mock's. */
const ISSUED_KEYS = new Set(['id', 'client_id', 'bot_id', 'api_key', 'client_secret', 'access_token', 'refresh_token', 'secret']);
/** Keys whose values are times: compared by form. */
const TIME_KEYS = new Set(['created_at', 'updated_at', 'access_token_expires_at', 'created', 'modified', 'expires_at']);
/** Keys whose values are prose: only their type is compared. */
const FREE_TEXT_KEYS = new Set(['detail', 'error_description', 'message', 'description']);
/** Number keys that depend on the moment (seconds left): only their type is compared. */
export const VARYING_NUMBER_KEYS = new Set(['expires_in', 'refresh_expires_in']);
/** Query parameters that are cursors: mapped like ids. */
export const CURSOR_PARAMS = new Set(['starting_after', 'ending_before']);

export type HeaderRule = 'media-type' | 'url' | 'uuid' | 'exact' | 'date-time' | 'date' | 'present';
/** The response headers compared, and how: presence always, then the form named. */
export const COMPARED_HEADERS: Record<string, HeaderRule> = {
  'content-type': 'media-type',
  location: 'url',
  'snyk-request-id': 'uuid',
  'snyk-version-requested': 'exact',
  'snyk-version-served': 'exact',
  'snyk-version-lifecycle-stage': 'exact',
  deprecation: 'date-time',
  sunset: 'date',
};

const PLACEHOLDER = /^<secret:\d+>$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const JWT = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const SNYK_TOKEN = /^snyk_(uat|sat)\.[a-z0-9]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** The form of a string: what stays when a value that is meant to differ is compared. */
export function formOf(value: string): string {
  if (PLACEHOLDER.test(value)) return 'secret';
  if (UUID.test(value)) return 'uuid';
  if (DATE_TIME.test(value)) return 'date-time';
  if (DATE.test(value)) return 'date';
  if (JWT.test(value)) return 'jwt';
  if (SNYK_TOKEN.test(value)) return 'snyk-token';
  if (/^https?:\/\//.test(value)) return 'absolute-url';
  if (value.startsWith('/')) return 'relative-url';
  return 'string';
}

export const isPlaceholder = (value: string) => PLACEHOLDER.test(value);

/** Values that are secrets wherever they appear, whatever their key. */
export function looksSecret(value: string): boolean {
  return JWT.test(value) || SNYK_TOKEN.test(value) || PEM_KEY.test(value);
}

/** Two forms agree when equal, or when one side is a redacted secret (its form is unknown). */
export function sameForm(a: string, b: string): boolean {
  const fa = formOf(a);
  const fb = formOf(b);
  return fa === fb || fa === 'secret' || fb === 'secret';
}

/** The media type of a content-type, without parameters. */
export const mediaType = (v: string) => v.split(';')[0].trim().toLowerCase();

/** How a string leaf at `key` is compared: by value, by form, or by type only. */
export function stringRule(key: string, value: string): 'value' | 'form' | 'type' {
  if (FREE_TEXT_KEYS.has(key)) return 'type';
  if (ISSUED_KEYS.has(key) || TIME_KEYS.has(key) || SECRET_KEYS.has(key)) return 'form';
  const f = formOf(value);
  if (f === 'secret' || f === 'uuid' || f === 'date-time' || f === 'jwt' || f === 'snyk-token') return 'form';
  return 'value';
}

/** Whether a string at `key` is a link, compared as a URL (path with ids mapped, query by parameter). */
export function isLink(path: readonly (string | number)[], value: string): boolean {
  return path.includes('links') && (value.startsWith('/') || /^https?:\/\//.test(value));
}
