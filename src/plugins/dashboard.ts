// The dashboard's services, as named decorators: `events` (the publish/subscribe hub behind
// GET /__admin/events) and `overview` (the view behind GET /__admin/overview). The hub is fed a
// `change` after every durable store write, a `request` for every entry the journal records (only
// while a stream is open), and a `control` after every change made to a test control.
import type { FastifyInstance, onResponseHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Events } from '../services/events.js';
import { OverviewService } from '../services/overview.js';

const hooks = (h: RouteOptions['onResponse']): onResponseHookHandler[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);

export default fp(
  async function dashboard(app: FastifyInstance) {
    const events = new Events((err) => app.log.warn({ err }, 'an event listener failed'));
    app.decorate('events', events);
    const journal = app.journal;
    app.decorate(
      'overview',
      new OverviewService(app.store, app.clock, { journal: journal.enabled, clock: true, faults: true, rate_limit: true, switches: true }),
    );

    // the store calls back once per group commit (and per seed/reset), after the write is durable
    const unsubscribe = app.store.onChange((change) => events.publish('change', change));
    app.addHook('onClose', async () => unsubscribe());

    // journal entries are redacted when recorded; the body stays out of the stream (the page shows none)
    events.feed(() => journal.subscribe(({ body: _body, body_truncated: _truncated, ...entry }) => events.publish('request', entry)));

    // a control changed by anyone (the page, a test, curl): open pages reload that panel
    app.addHook('onRoute', (route) => {
      // the routes that change a control say which one (route config `control`)
      const control = route.config?.control;
      if (control === undefined) return;
      const published: onResponseHookHandler = (_request, reply, done) => {
        if (reply.statusCode < 400) events.publish('control', { control });
        done();
      };
      route.onResponse = [...hooks(route.onResponse), published];
    });
  },
  { name: 'dashboard', dependencies: ['services'] },
);
