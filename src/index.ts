// The public API for test suites that start the mock in-process:
//   const mock = await startMockServer();   // port 0, in memory, nothing read from the environment
//   fetch(`${mock.url}/rest/self?version=2024-10-15`, { headers: { authorization: `token ${mock.token}` } });
//   await mock.reset(); await mock.close();
// It reads no environment variable unless given `env` (e.g. `env: process.env`), so servers started
// side by side in one process are independent. Settings go through the one resolver (settings/config.ts,
// `embedded` profile); build(settings, deps) is the app without a listener, for inject().
import type { FastifyInstance } from 'fastify';
import { build, type BuildDeps } from './app.js';
import { listen } from './server.js';
import type { Clock, ClockControl, Scheduler } from './settings/clock.js';
import type { RequestJournal } from './services/journal.js';
import type { FaultRules } from './services/faults.js';
import type { RateLimitControl } from './services/rate-limit.js';
import type { SwitchControl } from './services/switches.js';
import { resolveSettings, type SettingName, type Settings as SettingsType } from './settings/config.js';
import type { Fixtures } from './schemas/fixtures.js';
import type { CreateAttributes } from './schemas/service-account.js';

export { build, type BuildDeps } from './app.js';
export { start, closeOnSignals, type Started, type SignalTarget } from './server.js';
export {
  resolveSettings,
  settingsInfo,
  Settings,
  ENV,
  DEFAULT_FIXTURES,
  SettingsError,
  type SettingInfo,
  type Profile,
  type SettingsSources,
} from './settings/config.js';
export { parseCli, helpText, UsageError } from './settings/args.js';
export { REDACT } from './logging/redact.js';
export { Fixtures as FixturesSchema } from './schemas/fixtures.js';
export { parseFixtures, seedData, FixtureError } from './store/seed.js';
export { DataFileLockedError } from './store/lock.js';
export { servedVersions } from './routes/openapi/index.js';
export type { Clock, ClockControl, Scheduler } from './settings/clock.js';
export type { RequestJournal, JournalListener } from './services/journal.js';
export type { FaultRules } from './services/faults.js';
export type { RateLimitControl } from './services/rate-limit.js';
export type { SwitchControl } from './services/switches.js';
export type * from './schemas/journal.js';
export type * from './schemas/faults.js';
export type * from './schemas/rate-limit.js';
export type * from './schemas/clock.js';
export type * from './schemas/switches.js';
export type { TlsMaterial } from './settings/tls.js';
export type { Fixtures, FixtureServiceAccount } from './schemas/fixtures.js';

// ---- request and response types, derived from the TypeBox schemas the server validates with
export type * from './schemas/service-account.js';
export type { SelfResponse } from './schemas/self.js';
export type { ListOrgsResponse, ListOrgsInGroupResponse, OrgResponse as GetOrgResponse, ListOrgsQuery, ListOrgsInGroupQuery } from './schemas/org.js';
export type { ListGroupsResponse, GroupResponse as GetGroupResponse } from './schemas/group.js';
/** An item of GET /v1/group/{groupId}/roles, and a v1 error body. */
export type { V1Role, V1Error } from './schemas/v1.js';
export type * from './schemas/admin.js';
/** What GET /__admin/state returns and POST /__admin/seed accepts besides fixtures. */
export type {
  StoreData as StateDocument,
  StoreData,
  GroupRecord,
  OrgRecord,
  RoleRecord,
  UserRecord,
  MembershipRecord,
  ServiceAccountRecord,
  CredentialRecord,
} from './schemas/store.js';
export type { ErrorDocument, ErrorObject } from './schemas/common.js';
/** Body of POST /rest/orgs/{org_id}/service_accounts (`data.type` optional). */
export type CreateOrgServiceAccountRequest = { data: { type?: 'service_account'; attributes: CreateAttributes } };
/** Body of POST /rest/groups/{group_id}/service_accounts (`data.type` required). */
export type CreateGroupServiceAccountRequest = { data: { type: 'service_account'; attributes: CreateAttributes } };
export type {
  PatchBody as UpdateServiceAccountRequest,
  SecretsBody as ManageSecretsRequest,
  SingleResponse as ServiceAccountResponse,
  ListResponse as ServiceAccountListResponse,
} from './schemas/service-account.js';

export interface MockServerOptions extends Partial<Omit<SettingsType, 'store' | 'fixtures'>> {
  /** 'memory' (default), 'file' (the data file at `db`), or the path of a data file */
  store?: 'memory' | 'file' | (string & {});
  /**
   * a fixtures document (every collection optional; validated like a fixtures file, and a bad one
   * stops the start before anything is stored), or the path of a fixtures file (default: fixtures/default.json)
   */
  fixtures?: Fixtures | string;
  /** environment to read SNYK_MOCK_* variables from (options win over it); default: none */
  env?: NodeJS.ProcessEnv;
  /** what stands for real time (see BuildDeps.clock); the server clock is `server.clock` */
  clock?: Clock;
  /** timers of the housekeeping (expired-credential purge); default: unref'd intervals */
  scheduler?: Scheduler;
  /** see BuildDeps.logger; the default logs warnings and errors only (logLevel 'warn') */
  logger?: BuildDeps['logger'];
}

export interface MockServer {
  /** e.g. http://127.0.0.1:43121 (https:// with `https: true`) */
  url: string;
  /** the demo user's API token in effect (`demoToken`, else the fixtures' token of the user marked `demo`) */
  token: string | undefined;
  /** the certificate PEM to trust when serving HTTPS (e.g. undici `new Agent({ connect: { ca } })`) */
  ca: string | undefined;
  /** the Fastify app, for inject() */
  app: FastifyInstance;
  /** the settings in effect */
  settings: SettingsType;
  /** back to the seed fixtures, as POST /__admin/reset */
  reset(): Promise<void>;
  /** the request journal, as /__admin/requests: list(filter), count(filter), clear(), subscribe(listener) */
  requests: RequestJournal;
  /** the server clock, as /__admin/clock: set(iso), advance('90m'), real(), state(), now() */
  clock: ClockControl;
  /** fault rules, as /__admin/faults: add(rule), list(), remove(id), clear() */
  faults: FaultRules;
  /** the per-credential rate limit, as /__admin/rate-limit: set({ limit, window_seconds } | { enabled: false }), state() */
  rateLimit: RateLimitControl;
  /** the gates' switches, as /__admin/switches: set({ version_check, auth }), state() */
  switches: SwitchControl;
  /** stops listening; pending writes are flushed */
  close(): Promise<void>;
}

/** The options as overrides of the settings resolver (`store` may be a data file's path). */
function overridesOf(rest: Partial<Record<SettingName, unknown>>, store: MockServerOptions['store'], fixtures: MockServerOptions['fixtures']) {
  const overrides: Partial<Record<SettingName, unknown>> = { ...rest };
  if (store === 'memory' || store === 'file') overrides.store = store;
  else if (store !== undefined) Object.assign(overrides, { store: 'file', db: store });
  if (typeof fixtures === 'string') overrides.fixtures = fixtures;
  return overrides;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { store, fixtures, env, clock, scheduler, logger, ...rest } = options;
  const settings = resolveSettings({ profile: 'embedded', env, overrides: overridesOf(rest, store, fixtures) });
  const app = await build(settings, { clock, scheduler, logger, ...(fixtures !== undefined && typeof fixtures !== 'string' ? { fixtures } : {}) });
  // closes the app if listening (or writing the held-back files) fails
  const url = await listen(app, settings);
  return {
    url,
    token: app.admin.demoToken(),
    ca: app.tls?.cert,
    app,
    settings,
    reset: async () => {
      await app.admin.reset();
    },
    requests: app.journal,
    clock: app.clock,
    faults: app.faults,
    rateLimit: app.rateLimit,
    switches: app.switches,
    close: () => app.close(),
  };
}
