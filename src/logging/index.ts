// The pino configuration of a server: pino JSON lines by default, pretty (pino-pretty) when stdout
// is a terminal (stream.ts); one line per request when it completes (request-line.ts). Credentials
// never reach the log: headers that carry them and every member named like a secret are redacted
// wherever they appear (up to four levels deep), and request/response bodies are never logged (a
// `body` member is redacted whole) (redact.ts).
import type { FastifyServerOptions } from 'fastify';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { Settings } from '../settings/config.js';
import { CENSOR, REDACT, redactSecrets } from './redact.js';
import { RequestLogController } from './request-line.js';
import { defaultStream } from './stream.js';

interface LoggerConfig extends LoggerOptions {
  /** where the lines go (default: stdout, pretty when it is a terminal and the format allows) */
  stream?: DestinationStream;
}

/** The pino options of a server with these settings; `overrides` (from BuildOptions.logger) win. */
function loggerConfig(settings: Settings, overrides: LoggerConfig = {}): LoggerConfig {
  return {
    level: settings.logLevel,
    ...overrides,
    redact: overrides.redact ?? { paths: REDACT, censor: CENSOR },
    formatters: { ...overrides.formatters, log: overrides.formatters?.log ?? redactSecrets },
    stream: overrides.stream ?? defaultStream(settings),
  };
}

/**
 * BuildOptions.logger as Fastify's logger / loggerInstance options (a logger of the caller's is
 * used as it is; options go over the server's), with the log controller of the request lines.
 */
export function fastifyLoggerOptions(settings: Settings, logger: unknown): Pick<FastifyServerOptions, 'logger' | 'loggerInstance' | 'logController'> {
  const logController = new RequestLogController();
  if (logger && typeof (logger as { info?: unknown }).info === 'function')
    return { loggerInstance: logger as FastifyServerOptions['loggerInstance'], logController };
  if (logger === false) return { logger: false, logController };
  const options = logger === true || logger === undefined ? {} : (logger as LoggerConfig);
  return { logger: loggerConfig(settings, options) as FastifyServerOptions['logger'], logController };
}
