// The origin a client called (`scheme://host[:port]`), for the absolute URLs the mock hands out:
// `location` headers, the issuer and audience of OAuth tokens, the host named in access tokens.
import type { FastifyRequest } from 'fastify';

/**
 * Scheme: `X-Forwarded-Proto` when it says http or https (so a TLS-terminating proxy in front of
 * the mock yields https URLs), else the connection's own (https when the mock serves TLS).
 * Host and port: the Host header as the client sent it; a request without one (HTTP/1.0) gets the
 * address it reached. A spoofed X-Forwarded-Proto only changes the URLs in its own response.
 */
export function requestOrigin(request: FastifyRequest): string {
  const forwarded = forwardedProto(request.headers['x-forwarded-proto']);
  const scheme = forwarded ?? request.protocol;
  const host = request.headers.host || localHost(request);
  return `${scheme}://${host}`;
}

function forwardedProto(header: string | string[] | undefined): 'http' | 'https' | undefined {
  // a chain of proxies appends: the first value is what the client used
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim().toLowerCase();
  return first === 'http' || first === 'https' ? first : undefined;
}

function localHost(request: FastifyRequest): string {
  const { localAddress = '127.0.0.1', localPort } = request.socket;
  const address = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return localPort ? `${address}:${localPort}` : address;
}

// RFC 3986 host (reg-name, IPv4, or an IP literal in brackets) with an optional port
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::\d{0,5})?$/;

/**
 * Why the Host header is unacceptable, or undefined: RFC 9112 §3.2 requires a 400 for an HTTP/1.1
 * request without one, or with one that is not a valid host (Node's own check, which answers
 * without a body, is turned off so that this 400 is an ErrorDocument like every other).
 */
export function hostProblem(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  if (host === undefined) return request.raw.httpVersion === '1.0' ? undefined : 'An HTTP/1.1 request must carry a Host header.';
  // Node keeps the first of several Host lines: count them in the raw headers
  if (hostLines(request.raw.rawHeaders) > 1) return 'A request must carry one Host header, not several.';
  if (!HOST.test(host)) return 'The Host header is not a valid host[:port].';
  return undefined;
}

/** How many Host lines the raw headers (name, value, name, value…) hold; counted on every request, without a copy. */
function hostLines(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 4 && name.toLowerCase() === 'host') n++;
  }
  return n;
}
