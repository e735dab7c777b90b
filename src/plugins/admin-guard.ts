// The admin routes' guard, the first thing every /__admin request meets (registered by the admin
// routes, so no other route pays for it). In order:
// 1. The Host rule (DNS rebinding): while the mock listens on a loopback address, or once
//    --allowed-hosts is given, /__admin answers only a Host that is loopback (localhost,
//    *.localhost, 127.0.0.0/8, [::1]) or allowed. A page whose own name was re-pointed at 127.0.0.1
//    sends its own name. Listening on every interface (containers), the rule is off unless
//    --allowed-hosts is given: there the admin secret is what keeps others out.
// 2. The Origin rule (cross-site requests): a request that changes something (POST, PUT, PATCH,
//    DELETE) is refused when a browser says it comes from another origin than the server's own:
//    an `Origin` naming another scheme://host:port, `Origin: null` (sandboxed frames, file: pages),
//    or `Sec-Fetch-Site: cross-site` / `same-site`. Without those headers (curl, SDKs, test code)
//    nothing is refused, and the dashboard is served from the same origin.
// 3. The admin secret: with one set, every route but those marked `config: { open: true }`
//    (`health`, the dashboard's files) needs `Authorization: Bearer <secret>`.
// Refusals are 403 (401 for the secret) ErrorDocuments, and answered before any handler runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Settings } from '../settings/config.js';
import { requestOrigin } from './request-origin.js';
import { isLoopbackHost } from '../services/client-assertion.js';
import { digest, sameDigest } from '../snyk/credentials.js';
import { apiError } from '../snyk/errors.js';

/** A host name (no port) is loopback: localhost and the names under it, 127.0.0.0/8, ::1. */
function isLoopbackName(name: string): boolean {
  const h = name.toLowerCase().replace(/\.$/, '');
  return isLoopbackHost(h) || h.endsWith('.localhost');
}

/** The name part of a Host header (`[::1]:8080` → `[::1]`, `Localhost:80` → `localhost`). */
function hostName(host: string): string {
  const h = host.toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return (colon === -1 ? h : h.slice(0, colon)).replace(/\.$/, '');
}

/** --allowed-hosts as a list: lower case, blanks dropped. */
const allowedHostList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

/** The Host rule's verdict on one Host header: undefined when it may reach /__admin. */
function hostRefusal(settings: Pick<Settings, 'host' | 'allowedHosts'>, host: string | undefined): string | undefined {
  // off when listening on every interface (or another non-loopback address) and no list was given
  if (settings.allowedHosts === undefined && !isLoopbackName(settings.host)) return undefined;
  // HTTP/1.0 without a Host: no browser sends that
  if (host === undefined) return undefined;
  const name = hostName(host);
  if (isLoopbackName(name)) return undefined;
  for (const allowed of allowedHostList(settings.allowedHosts)) {
    if (allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed) return undefined;
  }
  return (
    `The admin API answers only loopback host names (localhost, *.localhost, 127.0.0.1, [::1]) and those of --allowed-hosts (SNYK_MOCK_ALLOWED_HOSTS); ` +
    `Host "${name.slice(0, 253)}" is none of them (a guard against DNS rebinding). To call the mock by this name, add it to --allowed-hosts.`
  );
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The Origin rule's verdict on one request: undefined unless a browser says it comes from another origin. */
function crossOriginRefusal(request: FastifyRequest): string | undefined {
  if (!CHANGES.has(request.method)) return undefined;
  const own = ownOrigin(request);
  // what browsers send: cross-site, same-site, same-origin, none
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return `The admin API refuses changes from a page of another origin (Sec-Fetch-Site: ${site}); call it from the dashboard at ${own}/__admin/ui/, or without a browser (curl, SDKs, test code).`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;
  let theirs: string;
  try {
    theirs = origin === 'null' ? 'null' : new URL(origin).origin;
  } catch {
    theirs = 'an origin that is not a URL';
  }
  if (theirs === own) return undefined;
  return `The admin API refuses changes from a page of another origin (Origin: ${origin.slice(0, 200)}; this server is ${own}); call it from the dashboard at ${own}/__admin/ui/, or without a browser (curl, SDKs, test code).`;
}

/** scheme://host[:port] of the server as this request named it, default port left out (as an Origin header has it). */
function ownOrigin(request: FastifyRequest): string {
  const raw = requestOrigin(request);
  try {
    return new URL(raw).origin;
  } catch {
    return raw;
  }
}

/** A Bearer admin secret that matches, compared as digests (constant time whatever the lengths). */
function hasSecret(request: FastifyRequest, secretDigest: string): boolean {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return m !== null && sameDigest(digest(m[1]), secretDigest);
}

export default fp(
  async function adminGuard(app: FastifyInstance) {
    const settings = app.settings;
    const secretDigest = settings.adminSecret === undefined ? undefined : digest(settings.adminSecret);

    app.addHook('onRequest', async (request) => {
      const wrongHost = hostRefusal(settings, request.headers.host);
      if (wrongHost) throw apiError(403, wrongHost);
      const crossOrigin = crossOriginRefusal(request);
      if (crossOrigin) throw apiError(403, crossOrigin);
      if (secretDigest === undefined || request.routeOptions.config.open) return;
      if (!hasSecret(request, secretDigest)) {
        throw apiError(401, 'The admin API needs "Authorization: Bearer <admin secret>" (SNYK_MOCK_ADMIN_SECRET / --admin-secret).');
      }
    });

    // listening on every interface (or another address others reach) with nothing to keep them out: said once, at start
    app.addHook('onListen', function warnOpenAdmin(done) {
      if (settings.adminSecret === undefined && !isLoopbackName(settings.host)) {
        app.log.warn(
          { host: settings.host },
          `The admin API (/__admin) is open to anyone who reaches ${settings.host}: any client can reset or replace the data. Set --admin-secret / SNYK_MOCK_ADMIN_SECRET to require "Authorization: Bearer <secret>".`,
        );
      }
      done();
    });
  },
  { name: 'admin-guard' },
);
