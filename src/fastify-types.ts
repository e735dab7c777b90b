// What the plugins add to Fastify's instances and requests.
import 'fastify';
import type { MockClock } from './clock.js';
import type { Settings } from './config.js';
import type { OAuth } from './services/oauth.js';
import type { Principals, Principal } from './services/principals.js';
import type { ServiceAccounts } from './services/service-accounts.js';
import type { Faults } from './services/faults.js';
import type { Journal } from './services/journal.js';
import type { RateLimiter } from './services/rate-limit.js';
import type { Switches } from './services/switches.js';
import type { Store } from './store/store.js';
import type { ResourceName } from './snyk/versions.js';

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
    /** the server clock (POST /__admin/clock moves it) */
    clock: MockClock;
    store: Store;
    principals: Principals;
    serviceAccounts: ServiceAccounts;
    oauth: OAuth;
    switches: Switches;
    journal: Journal;
    faults: Faults;
    rateLimit: RateLimiter;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** the version the client asked for, normalised (set by the version gate) */
    apiVersion?: string;
    /** the fault rule that acted on the request (journal) */
    fault?: string;
    /** the switches that let the request through, e.g. "auth=presence" (journal) */
    switched?: string;
    /** the JSON body's text as received (journal) */
    rawBody?: string;
  }
  interface FastifyContextConfig {
    /** the API resource a route belongs to: its releases drive the version gate */
    resource?: ResourceName;
    /** an /__admin route that needs no admin secret (health, the dashboard's static files) */
    open?: boolean;
  }
}
export {};
