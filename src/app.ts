// build(): the Fastify app as a plugin tree, in pipeline order. It does not listen (server.ts does),
// so tests and the in-process API can use inject() or a port of their own.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { MockClock, type Clock } from './clock.js';
import { loadSettings, type Settings } from './config.js';
import type { Fixtures } from './schemas/fixtures.js';
import type { FileSystem } from './store/file-persistence.js';
import { openStore } from './store/open.js';
import { loadFixturesFile } from './store/seed.js';
import { fastifyLoggerOptions, RequestLogController, REDACT } from './logging.js';
import { resolveTls, type TlsMaterial } from './tls.js';
import { lazySchemaController } from './schema-compilers.js';
import { Admin } from './services/admin.js';
import openapiRoutes, { openapiCollector } from './routes/openapi/index.js';
import errors from './plugins/errors.js';
import services from './plugins/services.js';
import journal from './plugins/journal.js';
import faults from './plugins/faults.js';
import dashboard from './plugins/dashboard.js';
import restApi from './routes/rest.js';
import adminRoutes from './routes/admin/index.js';
import { rootRedirect } from './routes/admin/ui.js';
import oauthRoutes from './routes/oauth/index.js';
import './fastify-types.js';

export interface BuildOptions {
  /** settings on top of the environment (the environment is read unless `env` is given) */
  settings?: Partial<Settings>;
  env?: NodeJS.ProcessEnv;
  /**
   * what stands for real time (default: the system clock); the server clock starts from it, and
   * client assertions and TLS certificates are checked against it
   */
  clock?: Clock;
  /** fixtures document to seed from instead of the settings' fixtures file */
  fixtures?: Fixtures;
  /** file-system layer of the file store (tests inject failures) */
  fs?: FileSystem;
  /**
   * false, a pino logger instance, or pino options merged over the defaults (level from
   * settings.logLevel, secrets redacted); `{ stream }` sends the lines to a stream of your own.
   */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** the HTTPS key and certificate, when serving HTTPS */
    tls: TlsMaterial | undefined;
  }
}

/** Never log credentials (see logging.ts): redact paths for headers and secret members. */
export { REDACT };

export async function build(opts: BuildOptions = {}): Promise<FastifyInstance> {
  const settings = loadSettings(opts.env ?? process.env, opts.settings);
  // one clock for everything the mock issues or checks; --now starts it frozen
  const clock = new MockClock(opts.clock, settings.now);
  const loggerOpts = fastifyLoggerOptions(settings, opts.logger);
  // clients check certificates against real time, whatever the server clock says
  const tls = await resolveTls(settings, clock.base.now());
  const app = Fastify({
    ...loggerOpts,
    ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    // one line per request, when the response is sent (logging.ts)
    logController: new RequestLogController(),
    genReqId: () => randomUUID(),
    schemaController: lazySchemaController,
    ajv: {
      // unknown members are errors, not silently dropped; numbers in the query string are coerced
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
    routerOptions: { ignoreTrailingSlash: true },
  }) as unknown as FastifyInstance;
  app.decorate('tls', tls);
  // the seed is read once, at start: /__admin/reset returns to it
  const seedFixtures = opts.fixtures ?? (await loadFixturesFile(settings.fixtures));
  const store = await openStore({ settings, clock, log: app.log, fixtures: seedFixtures, fs: opts.fs });
  app.decorate('admin', new Admin(() => app.store, clock, settings, seedFixtures));
  await app.register(openapiCollector);
  await app.register(errors);
  await app.register(services, { settings, clock, store });
  // the gateway in front of every route but /__admin: fault rules first, the journal last
  await app.register(journal);
  await app.register(faults);
  await app.register(dashboard);
  await app.register(adminRoutes, { prefix: '/__admin' });
  await app.register(rootRedirect);
  await app.register(openapiRoutes, { prefix: '/rest/openapi' });
  await app.register(restApi, { prefix: '/rest' });
  await app.register(oauthRoutes, { prefix: '/oauth2' });
  return app;
}
