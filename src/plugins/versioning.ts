// Gate 2: the `version` query parameter, resolved against the route's resource releases (vervet
// rules in snyk/versions.ts), relaxed by --version-check. The snyk-version-* headers are sent only
// when it resolved.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { utcDay } from '../clock.js';
import { apiError, badRequest } from '../snyk/errors.js';
import { RELEASES, resolveVersion } from '../snyk/versions.js';
import { startWith } from '../services/switches.js';
import { noteSwitch } from './journal.js';

/** What the switch naming a refusal would do about it (a 404 is a well-formed version with no release). */
const effect = (r: { status: number; relaxedBy: 'lenient' | 'off' }) =>
  r.relaxedBy === 'off' ? 'to serve requests without a valid version' : r.status === 400 ? 'to accept any date' : 'to accept any well-formed version';

/** The version the client asked for; a route outside the gate (a bug) answers 400 rather than reading nothing. */
export function apiVersionOf(request: FastifyRequest): string {
  if (request.apiVersion === undefined) throw badRequest("missing required query parameter 'version'", { parameter: 'version' });
  return request.apiVersion;
}

export default fp(
  async function versioning(app: FastifyInstance) {
    app.decorateRequest('apiVersion', undefined);
    app.addHook('onRequest', (request, reply, done) => {
      const resource = request.routeOptions.config.resource;
      if (!resource) return done();
      const raw = (request.query as Record<string, unknown>).version;
      const requested = Array.isArray(raw) ? String(raw[0]) : (raw as string | undefined);
      const check = app.switches.versionCheck;
      const r = resolveVersion(requested, RELEASES[resource], utcDay(app.clock), check);
      if (!r.ok) return done(apiError(r.status, `${r.detail}${startWith('versionCheck', r.relaxedBy, effect(r))}`, { parameter: 'version' }));
      if (r.relaxed) {
        noteSwitch(request, `version-check=${check}`);
        // what the request is served as, so the route's query schema (which requires a version) passes
        (request.query as Record<string, unknown>).version = r.requested;
      }
      request.apiVersion = r.requested;
      reply.headers({
        'snyk-version-requested': r.requested,
        'snyk-version-served': r.served,
        'snyk-version-lifecycle-stage': r.stage,
        ...(r.deprecation ? { deprecation: r.deprecation, sunset: r.sunset } : {}),
      });
      done();
    });
  },
  { name: 'versioning', dependencies: ['services'] },
);
