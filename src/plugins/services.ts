// The services every route uses, as named decorators: settings, the clock, the store, principals
// (authentication and permissions), the service-accounts, orgs and groups resources and OAuth
// (tokens, assertions).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Settings } from '../config.js';
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
    const oauth = await OAuth.create({ store: () => app.store, clock: opts.clock, assertions: { allowHttpJwks: opts.settings.allowHttpJwks } });
    app.decorate('oauth', oauth);
    // expired credentials (issued access tokens above all) are purged on a timer that never holds the process
    oauth.startPurging((err) => app.log.warn({ err }, 'purging expired credentials failed'));
    app.addHook('onClose', async () => oauth.stopPurging());
    // pending writes are flushed before the process lets go of the file
    app.addHook('onClose', async () => app.store.close());
  },
  { name: 'services' },
);
