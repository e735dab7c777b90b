// Everything the plugins add to Fastify's instances, requests and route config, in one place.
import 'fastify';
import type { MockClock } from '../settings/clock.js';
import type { Settings } from '../settings/config.js';
import type { Admin } from '../services/admin.js';
import type { ControlEvent, Events } from '../services/events.js';
import type { Groups } from '../services/groups.js';
import type { OAuth } from '../services/oauth.js';
import type { Orgs } from '../services/orgs.js';
import type { OverviewService } from '../services/overview.js';
import type { Principals, Principal } from '../services/principals.js';
import type { ServiceAccounts } from '../services/service-accounts.js';
import type { Faults } from '../services/faults.js';
import type { Journal } from '../services/journal.js';
import type { RateLimiter } from '../services/rate-limit.js';
import type { Switches } from '../services/switches.js';
import type { Store } from '../store/store.js';
import type { ResourceName } from '../snyk/versions.js';
import type { TlsMaterial } from '../settings/tls.js';
import type { OpenApiDocument } from '../schemas/openapi.js';

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
    /** the server clock (POST /__admin/clock moves it) */
    clock: MockClock;
    store: Store;
    principals: Principals;
    serviceAccounts: ServiceAccounts;
    orgs: Orgs;
    groups: Groups;
    oauth: OAuth;
    admin: Admin;
    /** the OpenAPI document of the /rest operations, made on first use (routes/openapi) */
    openapiDocument(): Promise<OpenApiDocument>;
    /** the dashboard's publish/subscribe hub behind GET /__admin/events (plugins/dashboard.ts) */
    events: Events;
    /** the view behind GET /__admin/overview (plugins/dashboard.ts) */
    overview: OverviewService;
    /** the HTTPS key and certificate, when serving HTTPS */
    tls: TlsMaterial | undefined;
    /** the strict / lenient switches of the gates (POST /__admin/switches) */
    switches: Switches;
    /** the request journal (GET /__admin/requests) */
    journal: Journal;
    /** fault and latency rules (POST /__admin/faults) */
    faults: Faults;
    /** the 429 mode (POST /__admin/rate-limit) */
    rateLimit: RateLimiter;
  }
  interface FastifyRequest {
    /** set by the authentication gate; read it with principalOf() */
    principal?: Principal;
    /** the version the client asked for, normalised (set by the version gate); read it with apiVersionOf() */
    apiVersion?: string;
    /** the fault rule that acted on the request (journal) */
    fault?: string;
    /** the switches that let the request through, e.g. "auth=presence" (journal) */
    switched?: string;
    /** the JSON body's text as received (journal) */
    rawBody?: string;
    /** a request to a `quiet` route: its request line is logged at debug level */
    quiet: boolean;
  }
  interface FastifyContextConfig {
    /** the API resource a route belongs to: its releases drive the version gate */
    resource?: ResourceName;
    /** an /__admin route that needs no admin secret (health, the dashboard's static files) */
    open?: boolean;
    /** polled by health checks: its request lines are logged at debug level */
    quiet?: boolean;
    /** an /__admin route that changes this test control: the dashboard's open pages are told (a `control` event) */
    control?: ControlEvent['control'];
    /** the dashboard's own navigation (GET / → the page): not a request to the API, so not journaled */
    page?: boolean;
  }
}
