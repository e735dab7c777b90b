// Stage 0, before anything else (a gateway in front of the API): fault rules and --latency. A 5xx or
// a reset never reaches authentication, let alone the handler, so a faulted write changes nothing;
// a delay only holds the request before it goes on. /__admin is never faulted.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { apiError } from '../snyk/errors.js';
import { sendError } from './errors.js';
import { pathOf } from '../snyk/http.js';
import { isAdminUrl } from './admin-scope.js';
import { recordRequest } from './journal.js';
import type { FaultState } from '../schemas/faults.js';

export default fp(
  async function faults(app: FastifyInstance) {
    /** The principal of the Authorization header, or undefined; asked only by rules naming one. */
    const principalIdOf = (request: FastifyRequest) => {
      let known: { id?: string } | undefined;
      return () => (known ??= { id: app.principals.identify(request.headers.authorization, app.switches.auth)?.id }).id;
    };

    const act = (request: FastifyRequest, reply: FastifyReply, rule: FaultState | undefined, done: () => void) => {
      if (rule?.status !== undefined) {
        sendError(reply, apiError(rule.status, `snyk-mock fault rule ${rule.id} answered ${rule.status} in front of the API; the request was not processed.`));
        return;
      }
      if (rule?.reset) {
        // no answer at all: the client sees the connection drop
        reply.hijack();
        if (app.journal.enabled) recordRequest(app, request, reply, null);
        reply.raw.destroy();
        return done();
      }
      done();
    };

    app.addHook('onRequest', (request, reply, done) => {
      const rules = app.faults;
      if (rules.idle || isAdminUrl(request.url)) return done();
      const rule = rules.fire(request.method, pathOf(request.url), principalIdOf(request));
      if (rule) request.fault = rule.id;
      const ms = rules.delayMs(rule);
      if (ms > 0) setTimeout(act, ms, request, reply, rule, done);
      else act(request, reply, rule, done);
    });
  },
  { name: 'faults', dependencies: ['services', 'journal', 'errors'] },
);
