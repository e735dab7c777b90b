// Gate 1b, after authentication (the limit is per credential) and before the version gate: past
// the --rate-limit of its credential's window, a request is answered 429 with retry-after.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { principalOf } from './authentication.js';

export default fp(
  async function rateLimit(app: FastifyInstance) {
    app.addHook('onRequest', (request, _reply, done) => {
      const limiter = app.rateLimit;
      if (!limiter.enabled) return done();
      done(limiter.check(principalOf(request)));
    });
  },
  { name: 'rate-limit', dependencies: ['services', 'authentication'] },
);
