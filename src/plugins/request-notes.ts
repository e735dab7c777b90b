// What the pipeline notes on a request for its journal entry besides what the request says: the
// switches that let it through, and its JSON body's text as received.
import type { FastifyBodyParser, FastifyRequest } from 'fastify';

/** Marks that a switch (e.g. "auth=presence") let the request through. */
export function noteSwitch(request: FastifyRequest, which: string): void {
  request.switched = request.switched === undefined ? which : `${request.switched}, ${which}`;
}

/** A JSON body parser that keeps the text it parsed (request.rawBody): the journal need not serialise the body again. */
export function keepingRawBody(parse: FastifyBodyParser<string>): FastifyBodyParser<string> {
  return (request, body, done) => {
    request.rawBody = body;
    return parse(request, body, done);
  };
}
