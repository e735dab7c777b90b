// HTTP details that several stages share: the header naming each answer's request id, and the path
// of a request URL (what routes, faults and the journal match on).

/** The header every answer carries: the request's id (the journal's and the log's `reqId`). */
export const REQUEST_ID_HEADER = 'snyk-request-id';

/** A request URL split at its first `?`: the path, and the query string without the `?` ('' when none). */
export function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q === -1 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** The path of a request URL, without its query string. */
export const pathOf = (url: string): string => splitUrl(url).path;
