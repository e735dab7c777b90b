// The dashboard's services, as named decorators: `events` (the publish/subscribe hub behind
// GET /__admin/events, fed a `change` after every durable store write and a `request` per journal
// entry) and `overview` (the view behind GET /__admin/overview).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Events } from '../services/events.js';
import { OverviewService } from '../services/overview.js';

export default fp(
  async function dashboard(app: FastifyInstance) {
    const events = new Events((err) => app.log.warn({ err }, 'an event listener failed'));
    app.decorate('events', events);
    // the test controls of this server (the journal can be turned off with --journal-size 0)
    const panels = { journal: app.journal.enabled, clock: true, faults: true, rate_limit: true, switches: true };
    app.decorate('overview', new OverviewService(app.store, app.clock, () => panels));
    // the store calls back once per group commit (and per seed/reset), after the write is durable
    const unsubscribe = app.store.onChange((change) => events.publish('change', change));
    // journal entries are shaped for the stream only while a page is connected to it
    const unfollow = app.journal.subscribe(
      (entry) => events.publish('request', entry),
      () => events.subscribers > 0,
    );
    app.addHook('onClose', async () => {
      unsubscribe();
      unfollow();
    });
  },
  { name: 'dashboard', dependencies: ['services'] },
);
