// build(): the Fastify app as a plugin tree, in pipeline order. It does not listen (server.ts does),
// so tests and the in-process API can use inject() or a port of their own. It reads nothing but its
// arguments: finished settings (config.ts resolves them) and the dependencies below, plus the files
// the settings name (fixtures, data file, TLS files).
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MockClock, systemScheduler, type Clock, type Scheduler } from './settings/clock.js';
import { assertSettings, DEFAULT_FIXTURES, resolveSettings, type Settings } from './settings/config.js';
import type { Fixtures } from './schemas/fixtures.js';
import type { FileSystem } from './store/file-system.js';
import { openStore } from './store/open.js';
import { loadFixturesFile, parseFixtures } from './store/seed.js';
import { fastifyLoggerOptions } from './logging/index.js';
import { quietRoutes } from './plugins/route-hooks.js';
import { resolveTls } from './settings/tls.js';
import { compiledSchemas, compilerOptions, type CompiledSchemas } from './plugins/compiled-schemas.js';
import openapiRoutes, { openapiCollector } from './routes/openapi/index.js';
import errors, { clientErrorHandler, frameworkErrors, MAX_PARAM_LENGTH } from './plugins/errors.js';
import services from './plugins/services.js';
import { jsonBody } from './plugins/json-body.js';
import journal from './plugins/journal.js';
import faults from './plugins/faults.js';
import dashboard from './plugins/dashboard.js';
import restApi from './routes/rest.js';
import adminRoutes from './routes/admin/index.js';
import { rootRedirect } from './routes/admin/ui.js';
import oauthRoutes from './routes/oauth/index.js';
import v1Api from './routes/v1/index.js';
import './plugins/fastify-types.js';

/** What build() uses besides its settings; every member has a default. */
export interface BuildDeps {
  /**
   * what stands for real time (default: the system clock); the server clock starts from it, and
   * client assertions and TLS certificates are checked against it
   */
  clock?: Clock;
  /** timers that run housekeeping (the purge of expired credentials); default: unref'd setInterval */
  scheduler?: Scheduler;
  /** fixtures document to seed from instead of the settings' fixtures file; validated like the file */
  fixtures?: Fixtures;
  /** file-system layer of the file store (tests inject failures) */
  fs?: FileSystem;
  /**
   * false, a pino logger instance, or pino options merged over the defaults (level from
   * settings.logLevel, secrets redacted); `{ stream }` sends the lines to a stream of your own.
   */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
  /** where route validators and serializers come from (default: read from dist/compiled-schemas, as built) */
  compiledSchemas?: CompiledSchemas;
}

/** The app for `settings` (default: the embedded profile: in memory, nothing read from the environment). */
export async function build(settings: Settings = resolveSettings(), deps: BuildDeps = {}): Promise<FastifyInstance> {
  assertSettings(settings);
  // one clock for everything the mock issues or checks; --now starts it frozen
  const clock = new MockClock(deps.clock, settings.now);
  // the seed is read (and validated) first, so a bad one stops the start before anything is written;
  // it is kept: /__admin/reset returns to it
  const seedFixtures = deps.fixtures !== undefined ? parseFixtures(deps.fixtures, 'the fixtures option') : await loadFixturesFile(settings.fixtures);
  // clients check certificates against real time, whatever the server clock says
  const tls = await resolveTls(settings, clock.base.now());
  // compiled by `npm run build`, loaded here (compiled-schemas.ts); the store's checks are needed first
  const compiled = deps.compiledSchemas ?? compiledSchemas('read');
  compiled.prepareChecks();
  const app = Fastify({
    // the logger, and the log controller that writes one line per request when it is sent (logging/request-line.ts)
    ...fastifyLoggerOptions(settings, deps.logger),
    ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    genReqId: () => randomUUID(),
    schemaController: compiled.controller,
    ...compilerOptions(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // errors the framework and Node's HTTP parser answer themselves leave as ErrorDocuments too
    frameworkErrors,
    clientErrorHandler,
    // the errors plugin answers requests that arrive while closing, as an ErrorDocument
    return503OnClosing: false,
    // a request must arrive whole within 5 minutes (Node's default, which Fastify turns off); its
    // headers within Node's 60 s. Either timeout is a 408 ErrorDocument (clientErrorHandler)
    requestTimeout: 300_000,
  });
  // No operation of this API takes a DELETE body (the spec declares none): Fastify then treats
  // DELETE as it does GET, never parsing a body and never looking at its Content-Type
  app.addHttpMethod('DELETE', { hasBody: false, overrideExisting: true });
  // the one JSON body parser (plugins/json-body.ts) wherever JSON is parsed, a path no route serves included
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBody());
  app.decorate('tls', tls);
  quietRoutes(app);
  // fixtures given explicitly are named when an existing data file makes them not apply
  const fixturesSource = deps.fixtures !== undefined ? 'the fixtures option' : resolve(settings.fixtures) !== DEFAULT_FIXTURES ? settings.fixtures : undefined;
  const store = await openStore({ settings, clock, log: app.log, fixtures: seedFixtures, fixturesSource, fs: deps.fs });
  try {
    await app.register(openapiCollector);
    await app.register(errors);
    await app.register(services, { settings, clock, store, seedFixtures, scheduler: deps.scheduler ?? systemScheduler });
    // the gateway in front of every route but /__admin: fault rules first, the journal last
    await app.register(journal);
    await app.register(faults);
    await app.register(dashboard);
    await app.register(adminRoutes, { prefix: '/__admin' });
    await app.register(rootRedirect);
    await app.register(openapiRoutes, { prefix: '/rest/openapi' });
    await app.register(restApi, { prefix: '/rest' });
    await app.register(oauthRoutes, { prefix: '/oauth2' });
    await app.register(v1Api, { prefix: '/v1' });
  } catch (err) {
    // the app is not returned, so nobody else can close what it opened
    await store.close();
    throw err;
  }
  return app;
}
