// The journal stage: every answered request but /__admin is recorded when its response has been
// sent (onResponse), with the fault and the switch that acted on it. With --journal-size 0 no hook
// is added at all.
import type { FastifyBodyParser, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** /__admin/* is outside the gates, the faults and the journal. */
export const isAdminUrl = (url: string): boolean => url.startsWith('/__admin/') || url === '/__admin' || url.startsWith('/__admin?');

/** Marks that a switch (e.g. "auth=presence") let the request through, for its journal entry. */
export function noteSwitch(request: FastifyRequest, which: string): void {
  request.switched = request.switched === undefined ? which : `${request.switched}, ${which}`;
}

/**
 * A JSON body parser that keeps the text it parsed (request.rawBody), so the journal can record a
 * body without serialising it again.
 */
export function keepingRawBody(parse: FastifyBodyParser<string>): FastifyBodyParser<string> {
  return (request, body, done) => {
    request.rawBody = body;
    return parse(request, body, done);
  };
}

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
      if (!isAdminUrl(request.url) && !request.routeOptions.config.page) recordRequest(app, request, reply, reply.statusCode);
      done();
    });
  },
  { name: 'journal', dependencies: ['services'] },
);
