// build(): the Fastify app as a plugin tree, in pipeline order. It does not listen (server.ts does),
// so tests and the in-process API can use inject() or a port of their own.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from './clock.js';
import { loadSettings, type Settings } from './config.js';
import type { Fixtures } from './schemas/fixtures.js';
import type { FileSystem } from './store/file-persistence.js';
import { openStore } from './store/open.js';
import errors from './plugins/errors.js';
import services from './plugins/services.js';
import restApi from './routes/rest.js';
import adminRoutes from './routes/admin/index.js';
import './fastify-types.js';

export interface BuildOptions {
  /** settings on top of the environment (the environment is read unless `env` is given) */
  settings?: Partial<Settings>;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** fixtures document to seed from instead of the settings' fixtures file */
  fixtures?: Fixtures;
  /** file-system layer of the file store (tests inject failures) */
  fs?: FileSystem;
  /** a pino logger config or instance; default from settings.logLevel */
  logger?: FastifyServerOptions['logger'] | FastifyServerOptions['loggerInstance'];
}

/** Never log credentials: headers that carry them are redacted wherever they appear. */
export const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

export async function build(opts: BuildOptions = {}): Promise<FastifyInstance> {
  const settings = loadSettings(opts.env ?? process.env, opts.settings);
  const clock = opts.clock ?? systemClock;
  const loggerOpts =
    opts.logger && typeof (opts.logger as { info?: unknown }).info === 'function'
      ? { loggerInstance: opts.logger as FastifyServerOptions['loggerInstance'] }
      : { logger: (opts.logger as FastifyServerOptions['logger']) ?? { level: settings.logLevel, redact: REDACT } };
  const app = Fastify({
    ...loggerOpts,
    genReqId: () => randomUUID(),
    ajv: {
      // unknown members are errors, not silently dropped; numbers in the query string are coerced
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
    },
    routerOptions: { ignoreTrailingSlash: true },
  });
  const store = await openStore({ settings, clock, log: app.log, fixtures: opts.fixtures, fs: opts.fs });
  await app.register(errors);
  await app.register(services, { settings, clock, store });
  await app.register(adminRoutes, { prefix: '/__admin' });
  await app.register(restApi, { prefix: '/rest' });
  return app;
}
