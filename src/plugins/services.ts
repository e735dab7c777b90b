// The services every route uses, as named decorators: settings, the clock, the store, principals
// (authentication and permissions), the service-accounts, orgs and groups resources, OAuth (tokens,
// assertions), the admin API's logic, and the test controls: switches, the request journal, fault
// rules and the rate limit. Each is built here, once, from the same store and clock.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MockClock, Scheduler } from '../settings/clock.js';
import type { Settings } from '../settings/config.js';
import type { ParsedFixtures } from '../schemas/fixtures.js';
import { Admin } from '../services/admin.js';
import { ClientAssertions } from '../services/client-assertion.js';
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

interface ServicesOptions {
  settings: Settings;
  clock: MockClock;
  store: Store;
  /** the fixtures the server started with: what /__admin/reset returns to */
  seedFixtures: ParsedFixtures;
  scheduler: Scheduler;
}

export default fp(
  async function services(app: FastifyInstance, { settings, clock, store, seedFixtures, scheduler }: ServicesOptions) {
    app.decorate('settings', settings);
    app.decorate('clock', clock);
    app.decorate('store', store);
    // one jwks_url policy for creating private_key_jwt accounts and for verifying their assertions,
    // which their clients stamp with real time: they are checked against it, not the server clock
    const assertions = new ClientAssertions(clock.base, { allowHttpJwks: settings.allowHttpJwks });
    const principals = new Principals(store, clock);
    app.decorate('principals', principals);
    app.decorate('orgs', new Orgs(store, principals));
    app.decorate('groups', new Groups(store, principals));
    app.decorate('serviceAccounts', new ServiceAccounts(store, clock, assertions));
    app.decorate('switches', new Switches(settings));
    app.decorate('journal', new Journal(settings.journalSize));
    app.decorate('faults', new Faults(settings.latency));
    app.decorate('rateLimit', new RateLimiter(clock, settings.rateLimit));
    const oauth = await OAuth.create({ store, clock, assertions });
    app.decorate('oauth', oauth);
    app.decorate('admin', new Admin(store, clock, settings, seedFixtures));
    // expired credentials (issued access tokens above all) are purged on a timer that never holds the process
    const stopPurging = oauth.purgeEvery(scheduler, (err) => app.log.warn({ err }, 'purging expired credentials failed'));
    // pending writes are flushed before the process lets go of the file
    app.addHook('onClose', async () => {
      stopPurging();
      await store.close();
    });
  },
  { name: 'services' },
);
