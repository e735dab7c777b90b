// The error serialiser: the one place where anything thrown becomes a JSON:API ErrorDocument.
// Also answers unknown routes (404) and known paths with the wrong method (405) the same way.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, apiError, errorDocument, type ErrorSource } from '../snyk/errors.js';

export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json';

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
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (e.validation?.length) return validationError(e.validation[0], e.validationContext);
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return apiError(400, `Client request did not conform to OpenAPI specification: a request body must be sent with Content-Type: ${JSONAPI_MEDIA_TYPE}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiError(400, 'Client request did not conform to OpenAPI specification: the request body is empty');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError(413, 'The request body is too large.');
    // the router's own refusals (frameworkErrors below): the path is not echoed, it may be huge
    case 'FST_ERR_BAD_URL':
      return apiError(400, 'The URL is not valid: a path segment is not valid percent-encoding.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return apiError(414, 'A path parameter of the URL is too long.');
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return apiError(400, 'Client request did not conform to OpenAPI specification: the request body is not valid JSON', { pointer: '/' });
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return apiError(status, e.message);
  return apiError(500, 'An error was encountered while attempting to process the request.');
}

export function sendError(reply: FastifyReply, err: ApiError, extraErrors: ApiError[] = []) {
  return reply
    .code(err.status)
    .headers(err.headers)
    .type(JSONAPI_MEDIA_TYPE)
    .send(errorDocument([err, ...extraErrors]));
}

/** The order methods are listed in an `allow` header. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const rank = (m: string) => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);

/**
 * The methods a path has routes for, asked of Fastify's own router: empty means 404, anything
 * else means the request's method is not among them (405). Every not-found handler decides here.
 */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0];
  return app.supportedMethods.filter((method) => app.findRoute({ method, url: path }) !== null).sort((a, b) => rank(a) - rank(b));
}

/**
 * Fastify's `frameworkErrors` option: what the router refuses before any route (or hook) is
 * reached, a path parameter too long or badly encoded, is an ErrorDocument like every other error.
 */
export function frameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('snyk-request-id', request.id);
  return sendError(reply, toApiError(err));
}

export default fp(
  async function errors(app: FastifyInstance) {

    app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      reply.header('snyk-request-id', request.id);
      done();
    });

    app.setErrorHandler(async (err: unknown, request, reply) => {
      const apiErr = toApiError(err);
      if (apiErr.status >= 500) request.log.error({ err }, 'request failed');
      return sendError(reply, apiErr);
    });

    app.setNotFoundHandler(async (request, reply) => {
      const path = request.url.split('?')[0];
      const allowed = allowedMethods(app, path);
      if (allowed.length > 0) {
        return sendError(reply, apiError(405, `Method ${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`, undefined, { allow: allowed.join(', ') }));
      }
      return sendError(reply, apiError(404, `The resource being operated on could not be found: ${request.method} ${path}.`));
    });
  },
  { name: 'errors' },
);

export type { ErrorSource };
