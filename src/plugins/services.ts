// The services every route uses, as named decorators: settings, the clock, the store, principals
// (authentication and permissions), the service-accounts, orgs and groups resources, OAuth (tokens,
// assertions) and the admin API's logic. Each is built here, once, from the same store.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock, Scheduler } from '../clock.js';
import type { Settings } from '../config.js';
import type { ParsedFixtures } from '../schemas/fixtures.js';
import { Admin } from '../services/admin.js';
import { ClientAssertions } from '../services/client-assertion.js';
import { OAuth } from '../services/oauth.js';
import { Groups } from '../services/groups.js';
import { Orgs } from '../services/orgs.js';
import { Principals } from '../services/principals.js';
import { ServiceAccounts } from '../services/service-accounts.js';
import type { Store } from '../store/store.js';

export interface ServicesOptions {
  settings: Settings;
  clock: Clock;
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
    // one jwks_url policy for creating private_key_jwt accounts and for verifying their assertions
    const assertions = new ClientAssertions(clock, { allowHttpJwks: settings.allowHttpJwks });
    const principals = new Principals(store, clock);
    app.decorate('principals', principals);
    app.decorate('orgs', new Orgs(store, principals));
    app.decorate('groups', new Groups(store, principals));
    app.decorate('serviceAccounts', new ServiceAccounts(store, clock, assertions));
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
