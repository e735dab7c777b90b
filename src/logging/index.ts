// Logs: pino JSON lines by default, pretty (pino-pretty) when stdout is a terminal. One line per
// request, when it completes, with its snyk-request-id (`reqId`), method, url, status and time.
// Credentials never reach the log: headers that carry them and every member named like a secret
// are redacted wherever they appear (up to three levels deep), and request/response bodies, which
// carry api keys, client secrets and tokens, are never logged (a `body` member is redacted whole).
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type onRequestHookHandler } from 'fastify';
import { createRequire } from 'node:module';
import onExit from 'on-exit-leak-free';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import type { Settings } from '../settings/config.js';
import { addRouteHook } from '../plugins/route-hooks.js';

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

/** pino `redact` paths for the request headers that carry credentials (cheap: fixed paths). */
export const REDACT: string[] = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'];

const SECRET = new Set(SECRET_KEYS.map((k) => k.toLowerCase()));
const CENSOR = '[Redacted]';
/** what isSecretKey answered for each member name seen, up to a bound (the same few names recur on every line) */
const secretByName = new Map<string, boolean>();
const isSecretKey = (name: string): boolean => {
  let secret = secretByName.get(name);
  if (secret === undefined) {
    secret = SECRET.has(name.toLowerCase());
    if (secretByName.size < 1024) secretByName.set(name, secret);
  }
  return secret;
};
const MAX_DEPTH = 4;

/**
 * Every member named like a secret, down to four levels (or `maxDepth`), censored in a log record
 * (and in journal entries: the request journal redacts with this same function). A walk over
 * the record, not pino's wildcard redact paths: those cost half the server's throughput (measured:
 * GET one account 5.1k → 13.8k req/s without them); this walk costs nothing on the flat request lines.
 * Copies only what it changes.
 */
export function redactSecrets<T>(value: T, depth = 0, maxDepth = MAX_DEPTH): T {
  if (value === null || typeof value !== 'object' || depth >= maxDepth || value instanceof Error) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = redactSecrets(v, depth + 1, maxDepth);
      if (r !== v) (out ??= [...value])[i] = r;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    const r = isSecretKey(k) ? CENSOR : redactSecrets(v, depth + 1, maxDepth);
    if (r !== v) (out ??= { ...record })[k] = r;
  }
  return (out ?? value) as T;
}

/**
 * A destination that writes the lines logged in one turn of the event loop together, at the end of
 * the turn (or at once past 64 Ki characters), in one synchronous write to `sink`; what is still
 * pending when the process exits is written then. One write per request line cost a GET a fifth of
 * its throughput under wrk: pino's asynchronous destination (sonic-boom) measures the UTF-8 length
 * of everything it holds on each write, and hands each write to a thread of its own.
 */
export class LinesPerTurn implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private scheduled = false;
  private readonly flushLater = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(
    private readonly sink: { write(text: string): unknown },
    private readonly maxChars = 64 * 1024,
  ) {
    // held weakly: a logger that is gone is not kept alive for the exit
    onExit.register(this, (self: LinesPerTurn) => self.flush());
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushLater);
    }
  }

  /** Writes what is pending now (pino calls it too, e.g. on a fatal error). */
  flush(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(text);
  }

  flushSync(): void {
    this.flush();
  }
}

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
      ? // loaded only for a terminal: JSON logging (containers, CI) does not pay for it
        ((createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty'))({
          colorize: process.stdout.isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          // a request is one line: "request completed GET /rest/self?… 200 1.2 ms {reqId}"
          messageFormat: '{msg}{if method} {method} {url} {statusCode} {responseTime} ms{end}',
          ignore: 'pid,hostname,method,url,statusCode,responseTime',
          singleLine: true,
          sync: true,
        }) as DestinationStream)
      : // JSON to stdout: the lines of one turn of the event loop in one write (LinesPerTurn)
        new LinesPerTurn(pino.destination({ dest: 1, sync: true })));
  return {
    level: settings.logLevel,
    ...overrides,
    redact: overrides.redact ?? { paths: REDACT, censor: CENSOR },
    formatters: { ...overrides.formatters, log: overrides.formatters?.log ?? redactSecrets },
    ...(stream ? { stream } : {}),
  };
}

/** Options that only say where the lines go and from which level: the lines keep pino's shape. */
const SHAPE_KEEPING: ReadonlySet<string> = new Set(['stream', 'level']);

/**
 * Turns BuildOptions.logger into Fastify's logger / loggerInstance options and the log controller
 * that writes the request lines: it writes them itself when the logger is the one configured here
 * (whatever its stream and level), and through the logger when it is a caller's own.
 */
export function fastifyLoggerOptions(settings: Settings, logger: unknown): Pick<FastifyServerOptions, 'logger' | 'loggerInstance' | 'logController'> {
  if (logger && typeof (logger as { info?: unknown }).info === 'function') return { loggerInstance: logger as FastifyServerOptions['loggerInstance'], logController: new RequestLogController(false) };
  if (logger === false) return { logger: false, logController: new RequestLogController(false) };
  if (logger === true || logger === undefined) return { logger: loggerConfig(settings) as FastifyServerOptions['logger'], logController: new RequestLogController(true) };
  const own = Object.keys(logger as object).every((k) => SHAPE_KEEPING.has(k));
  return { logger: loggerConfig(settings, logger as LoggerConfig) as FastifyServerOptions['logger'], logController: new RequestLogController(own) };
}

const SECRET_PARAM = new RegExp(`([?&](?:${SECRET_KEYS.join('|')})=)[^&]*`, 'gi');

/** Whether a query parameter's name names a secret; `url.slice(from, to)` is the name. */
function secretName(url: string, from: number, to: number): boolean {
  return to > from && SECRET.has(url.slice(from, to).toLowerCase());
}

/**
 * The request URL with the values of secret-named query parameters redacted (clients do put them
 * there). The names are looked up first, one by one, and the URL is rewritten only when one is a
 * secret's: the rewrite's regular expression scanned every URL twice per request (log line and
 * journal) for names that are almost never there.
 */
export function redactUrl(url: string): string {
  let at = url.indexOf('?');
  while (at !== -1) {
    const next = url.indexOf('&', at + 1);
    const end = next === -1 ? url.length : next;
    const eq = url.indexOf('=', at + 1);
    if (eq !== -1 && eq < end && secretName(url, at + 1, eq)) return url.replace(SECRET_PARAM, '$1[Redacted]');
    at = next;
  }
  return url;
}

const { chindingsSym, timeSym, streamSym, needsMetadataGsym } = pino.symbols;
/** What of a pino logger the request line is written from (pino's exported symbols) */
const internals = (logger: unknown) => {
  const l = logger as Record<symbol, unknown> & { levelVal: number };
  const stream = l[streamSym] as DestinationStream & Record<symbol, unknown>;
  return { levelVal: l.levelVal, time: l[timeSym] as () => string, bindings: l[chindingsSym] as string, stream, plain: stream[needsMetadataGsym] !== true };
};
const LEVEL = { debug: 20, info: 30 } as const;

/**
 * Fastify's request lines, reduced to one per request when it completes (no "incoming request"
 * line): reqId (the snyk-request-id), method, url, status and response time in ms.
 *
 * With `ownLogger` (the logger loggerConfig() shapes, whatever its stream and level) a completed
 * request's line is written here, in the bytes pino would write for it: the level, pino's own
 * time and bindings (pid, hostname, reqId), the four fields, the message. Built through pino's
 * generic path (each member looked at, serialised and checked, then the log formatter's walk), it
 * was the largest single cost of a GET after the socket write (~13% of the throughput under wrk).
 * A test holds the two to the same bytes. Errors and every other line go through pino.
 */
export class RequestLogController extends LogController {
  constructor(private readonly ownLogger: boolean) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const url = redactUrl(request.url);
    const responseTime = Math.round(reply.elapsedTime * 100) / 100;
    // routes polled by health checks: at debug level, so they do not flood the log
    const level = request.quiet ? 'debug' : 'info';
    if (!error && this.ownLogger) {
      const log = internals(reply.log);
      if (log.plain) {
        if (log.levelVal > LEVEL[level]) return;
        log.stream.write(
          `{"level":${LEVEL[level]}${log.time()}${log.bindings},"method":${JSON.stringify(request.method)},"url":${JSON.stringify(url)},"statusCode":${reply.statusCode},"responseTime":${responseTime},"msg":"request completed"}\n`,
        );
        return;
      }
    }
    const line = { method: request.method, url, statusCode: reply.statusCode, responseTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log[level](line, 'request completed');
  }
}

const markQuiet: onRequestHookHandler = (request, _reply, done) => {
  request.quiet = true;
  done();
};

/** The requests of routes declared `config: { quiet: true }` are marked so as they arrive (request.quiet), for their request line. */
export function quietRoutes(app: FastifyInstance): void {
  app.decorateRequest('quiet', false);
  app.addHook('onRoute', (route) => {
    if (route.config?.quiet) addRouteHook(route, 'onRequest', markQuiet);
  });
}
