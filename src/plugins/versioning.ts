// Gate 2: the `version` query parameter, resolved against the route's resource releases (vervet
// rules in snyk/versions.ts), relaxed by --version-check. The snyk-version-* headers are sent only
// when it resolved.
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { utcDay } from '../settings/clock.js';
import { apiError, badRequest } from '../snyk/errors.js';
import { RELEASES, resolveVersion, type ResourceName, type Resolution, type VersionCheck } from '../snyk/versions.js';
import { startWith } from '../services/switches.js';
import { noteSwitch } from './request-notes.js';
import { addRouteHook } from './route-hooks.js';

/** What the switch naming a refusal would do about it (a 404 is a well-formed version with no release). */
const effect = (r: { status: number; relaxedBy: 'lenient' | 'off' }) =>
  r.relaxedBy === 'off' ? 'to serve requests without a valid version' : r.status === 400 ? 'to accept any date' : 'to accept any well-formed version';

/** The version the client asked for; a route outside the gate (a bug) answers 400 rather than reading nothing. */
export function apiVersionOf(request: FastifyRequest): string {
  if (request.apiVersion === undefined) throw badRequest("missing required query parameter 'version'", { parameter: 'version' });
  return request.apiVersion;
}

type Resolved = { r: Resolution; headers?: Record<string, string> };

/**
 * resolveVersion is pure in (resource, version, today, switch), and clients send the same few
 * versions all day: each answer (with its response headers) is kept, and the cache is emptied
 * past a bound so odd versions cannot grow it.
 */
function resolutionCache(max = 512) {
  const cache = new Map<string, Resolved>();
  // the previous question, asked again by most requests: answered without building a key
  let last: { resource: ResourceName; requested: string | undefined; today: string; check: VersionCheck; hit: Resolved } | undefined;
  return (resource: ResourceName, requested: string | undefined, today: string, check: VersionCheck): Resolved => {
    if (last && last.requested === requested && last.resource === resource && last.today === today && last.check === check) return last.hit;
    const key = `${resource}\0${requested ?? '\u0001'}\0${today}\0${check}`;
    let hit = cache.get(key);
    if (!hit) {
      const r = resolveVersion(requested, RELEASES[resource], today, check);
      const headers = r.ok
        ? {
            'snyk-version-requested': r.requested,
            'snyk-version-served': r.served,
            'snyk-version-lifecycle-stage': r.stage,
            ...(r.deprecation ? { deprecation: r.deprecation, sunset: r.sunset! } : {}),
          }
        : undefined;
      hit = { r, headers };
      if (cache.size >= max) cache.clear();
      cache.set(key, hit);
    }
    last = { resource, requested, today, check, hit };
    return hit;
  };
}

export default fp(
  async function versioning(app: FastifyInstance) {
    app.decorateRequest('apiVersion', undefined);
    const resolve = resolutionCache();
    /** The gate of one resource's routes (the resource is known when the route is added, not looked up per request). */
    const gate =
      (resource: ResourceName): onRequestHookHandler =>
      (request, reply, done) => {
        const raw = (request.query as Record<string, unknown>).version;
        const requested = Array.isArray(raw) ? String(raw[0]) : (raw as string | undefined);
        const check = app.switches.versionCheck;
        const { r, headers } = resolve(resource, requested, utcDay(app.clock), check);
        if (!r.ok) return done(apiError(r.status, `${r.detail}${startWith('versionCheck', r.relaxedBy, effect(r))}`, { parameter: 'version' }));
        if (r.relaxed) {
          noteSwitch(request, `version-check=${check}`);
          // what the request is served as, so the route's query schema (which requires a version) passes
          (request.query as Record<string, unknown>).version = r.requested;
        }
        request.apiVersion = r.requested;
        reply.headers(headers!);
        done();
      };
    // a route-level hook runs after the instance's own (authentication, rate limit): the gate order
    app.addHook('onRoute', (route) => {
      const resource = route.config?.resource;
      if (resource) addRouteHook(route, 'onRequest', gate(resource));
    });
  },
  { name: 'versioning', dependencies: ['services'] },
);
