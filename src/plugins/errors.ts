// The error serialiser: the one place where anything thrown becomes a JSON:API ErrorDocument, or,
// under /v1 (Snyk's v1 API, which has no JSON:API), a plain {code, message, error} body.
// Also answers unknown routes (404), known paths with the wrong method (405), and every error the
// framework or Node's HTTP server would otherwise answer in its own shape (bad URL, URI too long,
// oversized headers, malformed HTTP, timeouts, a bad Host, an unknown Expect) the same way.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errorDocument } from '../schemas/common.js';
import { ApiError, apiError, v1ErrorBody } from '../snyk/errors.js';
import { pathOf, REQUEST_ID_HEADER } from '../snyk/http.js';
import { hostProblem } from './request-origin.js';

export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json';

const NOT_CONFORMING = 'Client request did not conform to OpenAPI specification';
/** A POST or PATCH that carries no body, whatever its Content-Type says. */
export const missingBody = () =>
  apiError(400, `${NOT_CONFORMING}: a request body is required (a JSON:API document sent with Content-Type: ${JSONAPI_MEDIA_TYPE})`);

/** A request body the mock does not take: a 400 pointing into it ('/': the whole body). */
export const bodyProblem = (detail: string, pointer = '/') => apiError(400, `${NOT_CONFORMING}: ${detail}`, { pointer });

type AjvError = { keyword: string; instancePath: string; message?: string; params: Record<string, unknown> };

/** One Ajv error → a 400 pointing at the parameter or body member at fault. */
function validationError(e: AjvError, context: string | undefined): ApiError {
  const extra = (e.params.additionalProperty ?? e.params.missingProperty) as string | undefined;
  if (context === 'querystring' || context === 'params') {
    const parameter = (e.instancePath.slice(1).split('/')[0] || extra) ?? '';
    if (e.keyword === 'additionalProperties') return apiError(400, `Unknown query parameter '${parameter}'`, { parameter });
    if (e.keyword === 'required') return apiError(400, `Missing required ${context === 'params' ? 'path' : 'query'} parameter '${parameter}'`, { parameter });
    return apiError(400, `Invalid ${context === 'params' ? 'path' : 'query'} parameter '${parameter}': ${e.message}`, { parameter });
  }
  const pointer = e.keyword === 'additionalProperties' || e.keyword === 'required' ? `${e.instancePath}/${extra}` : e.instancePath || '/';
  const detail =
    e.keyword === 'additionalProperties'
      ? `${pointer} is not allowed here`
      : e.keyword === 'required'
        ? `${pointer} is required`
        : `${pointer} ${e.message}${e.keyword === 'enum' ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : ''}`;
  return apiError(400, `Client request did not conform to OpenAPI specification: ${detail}`, { pointer });
}

/** Maps anything thrown to the ApiError the client gets. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation?.length) return validationError(e.validation[0], e.validationContext);
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return apiError(400, `${NOT_CONFORMING}: a request body must be sent with Content-Type: ${JSONAPI_MEDIA_TYPE}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return missingBody();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError(413, 'The request body is too large: at most 1 MiB.');
    // the router's own refusals (frameworkErrors below): the path is not echoed, it may be huge
    case 'FST_ERR_BAD_URL':
      return apiError(400, 'The request URL is not valid: a percent-encoded sequence does not decode to UTF-8.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return apiError(414, `The request URL is too long: a path segment exceeds ${MAX_PARAM_LENGTH} characters.`);
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return bodyProblem('the request body is not valid JSON');
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return apiError(status, e.message);
  return apiError(500, 'An error was encountered while attempting to process the request.');
}

/** Where Snyk's v1 API is served: its errors are not JSON:API. */
const V1_PREFIX = '/v1';
const isV1 = (url: string) => url === V1_PREFIX || url.startsWith(`${V1_PREFIX}/`) || url.startsWith(`${V1_PREFIX}?`);

/** Longest path parameter routed (longer: 414); well above any id, so a bad id is a 400 like any other. */
export const MAX_PARAM_LENGTH = 2048;

export function sendError(reply: FastifyReply, err: ApiError, extraErrors: ApiError[] = []) {
  reply.code(err.status).headers(err.headers);
  if (isV1(reply.request.url)) return reply.type('application/json; charset=utf-8').send(v1ErrorBody(err));
  return reply.type(JSONAPI_MEDIA_TYPE).send(errorDocument([err, ...extraErrors]));
}

/**
 * Fastify's `frameworkErrors` option: what the router refuses before any route (or hook) is
 * reached, a URL that does not decode or a path segment over MAX_PARAM_LENGTH, is an ErrorDocument
 * (or, under /v1, a v1 error body) like every other error.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header(REQUEST_ID_HEADER, request.id);
  return sendError(reply, toApiError(err));
}

/** Node's own answers to a request it could not parse (its _http_server socketOnError), as ErrorDocuments. */
function clientErrorStatus(code: string | undefined): [number, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'The request line and headers are too large: at most 16 KiB.'];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'The request was not received in time.'];
    default:
      return [400, 'The request is not valid HTTP/1.1'];
  }
}

/**
 * Fastify's `clientErrorHandler` option (Node's 'clientError' event): a request Node's parser
 * refused, or a timeout. There is no Fastify request, so the response is written on the socket.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, text] = clientErrorStatus(err.code);
  const detail = status === 400 ? `${text}${err.reason ? `: ${err.reason}` : ''} (${err.code ?? 'unknown'}).` : text;
  this.log.debug({ code: err.code, status }, 'client error');
  // as Node does: answer only if no response has started on this connection
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) writeRawError(socket, apiError(status, detail));
  socket.destroy(err);
}

/** An ErrorDocument response written on a socket no Fastify reply owns; the connection then closes. */
function writeRawError(socket: Duplex, err: ApiError, headers: Record<string, string> = {}) {
  const body = JSON.stringify(errorDocument([err]));
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.write(
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status]}\r\ncontent-type: ${JSONAPI_MEDIA_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
      `${REQUEST_ID_HEADER}: ${randomUUID()}\r\n${extra}connection: close\r\n\r\n${body}`,
  );
}

/** The order methods are listed in an `allow` header. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const rank = (m: string) => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);

/**
 * The methods a path has routes for, asked of Fastify's own router: empty means 404, anything
 * else means the request's method is not among them (405). Every not-found handler decides here.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = pathOf(url);
  return app.supportedMethods.filter((method) => app.findRoute({ method, url: path }) !== null).sort((a, b) => rank(a) - rank(b));
}

export default fp(
  async function errors(app: FastifyInstance) {
    // Node answers a missing Host with a bodiless 400 and an unknown Expect with a bodiless 417,
    // and drops a CONNECT without a word; all three are answered here instead, as ErrorDocuments
    (app.server as typeof app.server & { requireHostHeader: boolean }).requireHostHeader = false;
    app.server.on('checkExpectation', (req, res: ServerResponse) => {
      const body = JSON.stringify(errorDocument([apiError(417, `Expect: ${String(req.headers.expect)} is not supported; only 100-continue is.`)]));
      res
        .writeHead(417, {
          'content-type': JSONAPI_MEDIA_TYPE,
          'content-length': Buffer.byteLength(body),
          [REQUEST_ID_HEADER]: randomUUID(),
          connection: 'close',
        })
        .end(body);
    });
    app.server.on('connect', (_req, socket: Duplex) => {
      writeRawError(socket, apiError(405, 'Method CONNECT is not allowed: this is not a proxy.'), { allow: 'GET, HEAD, POST, PATCH, DELETE' });
      socket.end();
    });

    // While the server shuts down, a request arriving on a connection still open gets a 503
    // ErrorDocument (Fastify's own would be its JSON shape: return503OnClosing is off in app.ts)
    let closing = false;
    app.addHook('preClose', (done) => {
      closing = true;
      done();
    });

    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      if (closing) {
        reply.header('connection', 'close');
        sendError(reply, apiError(503, 'The server is shutting down; retry against a running instance.'));
        return;
      }
      const problem = hostProblem(request);
      if (problem) {
        reply.header('connection', 'close');
        return done(apiError(400, problem));
      }
      done();
    });

    app.setErrorHandler(async (err: unknown, request, reply) => {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500) request.log.error({ err }, 'request failed');
      return sendError(reply, apiErr);
    });

    app.setNotFoundHandler(async (request, reply) => {
      const path = pathOf(request.url);
      const allowed = allowedMethods(app, path);
      if (allowed.length > 0) {
        return sendError(
          reply,
          apiError(405, `Method ${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`, undefined, { allow: allowed.join(', ') }),
        );
      }
      return sendError(reply, apiError(404, `The resource being operated on could not be found: ${request.method} ${path}.`));
    });
  },
  { name: 'errors' },
);
