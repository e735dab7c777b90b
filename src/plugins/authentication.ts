// Gate 1: the Authorization header → request.principal. Missing or unknown credential → 401,
// a header without a known scheme → 400; --auth presence / off relax them (the journal says so).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ALL_ACCESS, type Principal } from '../services/principals.js';
import { unauthorized } from '../snyk/errors.js';
import { noteSwitch } from './request-notes.js';

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
      const mode = app.switches.auth;
      try {
        request.principal = app.principals.authenticate(request.headers.authorization, mode);
      } catch (err) {
        return done(err as Error);
      }
      if (request.principal === ALL_ACCESS) noteSwitch(request, `auth=${mode}`);
      done();
    });
  },
  { name: 'authentication', dependencies: ['services'] },
);
