// Logs: pino JSON lines by default, pretty (pino-pretty) when stdout is a terminal. One line per
// request, when it completes, with its snyk-request-id (`reqId`), method, url, status and time.
// Credentials never reach the log: headers that carry them and every member named like a secret
// are redacted wherever they appear (up to three levels deep), and request/response bodies, which
// carry api keys, client secrets and tokens, are never logged (a `body` member is redacted whole).
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pretty from 'pino-pretty';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { Settings } from './config.js';

/** Member names whose value is a credential, in every casing the code base and OAuth use. */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'client_secret',
  'client_secrets',
  'clientSecret',
  'client_assertion',
  'api_key',
  'apiKey',
  'access_token',
  'accessToken',
  'refresh_token',
  'id_token',
  'token',
  'secret',
  'password',
  'private_key',
  'privateKey',
  'adminSecret',
  'demoToken',
  'body',
  'payload',
];

const bracket = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`);

/** pino `redact` paths: each secret key at the top level and up to three levels down. */
export const REDACT: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  ...SECRET_KEYS.flatMap((k) => {
    const tail = bracket(k);
    return [tail.startsWith('.') ? k : tail, `*${tail}`, `*.*${tail}`, `*.*.*${tail}`];
  }),
];

export interface LoggerConfig extends LoggerOptions {
  /** where the lines go (default: stdout, pretty when it is a terminal and the format allows) */
  stream?: DestinationStream;
}

/** The pino options of a server with these settings; `overrides` (from BuildOptions.logger) win. */
export function loggerConfig(settings: Settings, overrides: LoggerConfig = {}): LoggerConfig {
  const usePretty = settings.logFormat === 'pretty' || (settings.logFormat === 'auto' && process.stdout.isTTY === true);
  const stream =
    overrides.stream ??
    (usePretty
      ? (pretty({
          colorize: process.stdout.isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          // a request is one line: "request completed GET /rest/self?… 200 1.2 ms {reqId}"
          messageFormat: '{msg}{if method} {method} {url} {statusCode} {responseTime} ms{end}',
          ignore: 'pid,hostname,method,url,statusCode,responseTime',
          singleLine: true,
          sync: true,
        }) as DestinationStream)
      : undefined);
  return {
    level: settings.logLevel,
    ...overrides,
    redact: overrides.redact ?? { paths: REDACT, censor: '[Redacted]' },
    ...(stream ? { stream } : {}),
  };
}

/** Turns BuildOptions.logger into Fastify's logger / loggerInstance options. */
export function fastifyLoggerOptions(settings: Settings, logger: unknown): Pick<FastifyServerOptions, 'logger' | 'loggerInstance'> {
  if (logger && typeof (logger as { info?: unknown }).info === 'function') return { loggerInstance: logger as FastifyServerOptions['loggerInstance'] };
  if (logger === false) return { logger: false };
  if (logger === true || logger === undefined) return { logger: loggerConfig(settings) as FastifyServerOptions['logger'] };
  return { logger: loggerConfig(settings, logger as LoggerConfig) as FastifyServerOptions['logger'] };
}

const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_KEYS.join('|')})=)[^&]*`, 'gi');

/** The request URL with the values of secret-named query parameters redacted (clients do put them there). */
export const redactUrl = (url: string): string => (url.includes('?') ? url.replace(SECRET_PARAM, '$1[Redacted]') : url);

/** Paths polled by health checks: logged at debug level so they do not flood the log. */
const QUIET = new Set(['/__admin/health']);

/**
 * Fastify's request lines, reduced to one per request when it completes (no "incoming request"
 * line): reqId (the snyk-request-id), method, url, status and response time in ms.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (QUIET.has(request.url.split('?')[0])) reply.log.debug(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }
}
