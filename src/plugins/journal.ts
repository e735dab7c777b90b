// The journal stage: every answered request but /__admin is recorded when its response has been
// sent (onResponse), with the fault and the switch that acted on it. With --journal-size 0 no hook
// is added at all.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isAdminUrl } from './admin-scope.js';

/** Records `request`; `status` null means no answer was sent (a reset fault). */
export function recordRequest(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, status: number | null): void {
  const clock = app.clock;
  const durationMs = reply.elapsedTime;
  app.journal.record({
    id: request.id,
    // arrival on the server clock (a frozen clock stood still meanwhile)
    at: clock.nowMs() - (clock.frozen ? 0 : durationMs),
    method: request.method,
    url: request.url,
    status,
    durationMs,
    principal: request.principal,
    body: request.body,
    rawBody: request.rawBody,
    fault: request.fault,
    switched: request.switched,
  });
}

export default fp(
  async function journal(app: FastifyInstance) {
    app.decorateRequest('fault', undefined);
    app.decorateRequest('switched', undefined);
    app.decorateRequest('rawBody', undefined);
    if (!app.journal.enabled) return;
    app.addHook('onResponse', (request, reply, done) => {
      if (!isAdminUrl(request.url)) recordRequest(app, request, reply, reply.statusCode);
      done();
    });
  },
  { name: 'journal', dependencies: ['services'] },
);
