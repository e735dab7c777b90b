// The services every route uses, as named decorators: settings, the clock, the store, principals
// (authentication and permissions), the service-accounts, orgs and groups resources, OAuth (tokens,
// assertions), and the test controls: switches, the request journal, fault rules and the rate limit.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MockClock } from '../clock.js';
import type { Settings } from '../config.js';
import { Faults } from '../services/faults.js';
import { Journal } from '../services/journal.js';
import { OAuth } from '../services/oauth.js';
import { Groups } from '../services/groups.js';
import { Orgs } from '../services/orgs.js';
import { Principals } from '../services/principals.js';
import { RateLimiter } from '../services/rate-limit.js';
import { ServiceAccounts } from '../services/service-accounts.js';
import { Switches } from '../services/switches.js';
import type { Store } from '../store/store.js';

export interface ServicesOptions {
  settings: Settings;
  clock: MockClock;
  store: Store;
}

export default fp(
  async function services(app: FastifyInstance, opts: ServicesOptions) {
    app.decorate('settings', opts.settings);
    app.decorate('clock', opts.clock);
    app.decorate('store', opts.store);
    const principals = new Principals(() => app.store, opts.clock);
    app.decorate('principals', principals);
    app.decorate('orgs', new Orgs(() => app.store, principals));
    app.decorate('groups', new Groups(() => app.store, principals));
    app.decorate('serviceAccounts', new ServiceAccounts(() => app.store, opts.clock, { allowHttpJwks: opts.settings.allowHttpJwks }));
    app.decorate('switches', new Switches(opts.settings));
    app.decorate('journal', new Journal(opts.settings.journalSize));
    app.decorate('faults', new Faults(opts.settings.latency));
    app.decorate('rateLimit', new RateLimiter(opts.clock, opts.settings.rateLimit));
    const oauth = await OAuth.create({ store: () => app.store, clock: opts.clock, realClock: opts.clock.base, assertions: { allowHttpJwks: opts.settings.allowHttpJwks } });
    app.decorate('oauth', oauth);
    // expired credentials (issued access tokens above all) are purged on a timer that never holds the process
    oauth.startPurging((err) => app.log.warn({ err }, 'purging expired credentials failed'));
    app.addHook('onClose', async () => oauth.stopPurging());
    // pending writes are flushed before the process lets go of the file
    app.addHook('onClose', async () => app.store.close());
  },
  { name: 'services' },
);
