// The dashboard's services, as named decorators: `events` (the publish/subscribe hub behind
// GET /__admin/events, fed a `change` after every durable store write) and `overview` (the view
// behind GET /__admin/overview).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Events } from '../services/events.js';
import { OverviewService } from '../services/overview.js';

declare module 'fastify' {
  interface FastifyInstance {
    events: Events;
    overview: OverviewService;
  }
}

export default fp(
  async function dashboard(app: FastifyInstance) {
    const events = new Events((err) => app.log.warn({ err }, 'an event listener failed'));
    app.decorate('events', events);
    app.decorate('overview', new OverviewService(() => app.store, app.clock));
    // the store calls back once per group commit (and per seed/reset), after the write is durable
    const unsubscribe = app.store.onChange((change) => events.publish('change', change));
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'dashboard', dependencies: ['services'] },
);
