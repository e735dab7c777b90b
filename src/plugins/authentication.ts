// Gate 1: the Authorization header → request.principal. Missing or unknown credential → 401,
// a header without a known scheme → 400.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../services/principals.js';
import { unauthorized } from '../snyk/errors.js';

/** The caller of a gated route; a route outside the gate (a bug) answers 401 rather than reading nothing. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized('The request requires an authentication token.');
  return request.principal;
}

export default fp(
  async function authentication(app: FastifyInstance) {
    app.decorateRequest('principal', undefined);
    // callback style, not async: the gates run on every request and need no promise
    app.addHook('onRequest', (request, _reply, done) => {
      try {
        request.principal = app.principals.authenticate(request.headers.authorization);
      } catch (err) {
        return done(err as Error);
      }
      done();
    });
  },
  { name: 'authentication', dependencies: ['services'] },
);
