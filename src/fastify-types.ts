// What the plugins add to Fastify's instances and requests.
import 'fastify';
import type { Clock } from './clock.js';
import type { Settings } from './config.js';
import type { Groups } from './services/groups.js';
import type { OAuth } from './services/oauth.js';
import type { Orgs } from './services/orgs.js';
import type { Principals, Principal } from './services/principals.js';
import type { ServiceAccounts } from './services/service-accounts.js';
import type { Store } from './store/store.js';
import type { ResourceName } from './snyk/versions.js';

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
    clock: Clock;
    store: Store;
    principals: Principals;
    serviceAccounts: ServiceAccounts;
    orgs: Orgs;
    groups: Groups;
    oauth: OAuth;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** the version the client asked for, normalised (set by the version gate) */
    apiVersion?: string;
  }
  interface FastifyContextConfig {
    /** the API resource a route belongs to: its releases drive the version gate */
    resource?: ResourceName;
    /** an /__admin route that needs no admin secret (health, the dashboard's static files) */
    open?: boolean;
  }
}
export {};
