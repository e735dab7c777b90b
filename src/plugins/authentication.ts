// Gate 1: the Authorization header → request.principal. Missing or unknown credential → 401,
// a header without a known scheme → 400.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export default fp(
  async function authentication(app: FastifyInstance) {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      request.principal = await app.principals.authenticate(request.headers.authorization);
    });
  },
  { name: 'authentication', dependencies: ['services'] },
);
