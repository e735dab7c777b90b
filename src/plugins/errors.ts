// The error serialiser: the one place where anything thrown becomes a JSON:API ErrorDocument, or,
// under /v1 (Snyk's v1 API, which has no JSON:API), a plain {code, message, error} body.
// Also answers unknown routes (404) and known paths with the wrong method (405) the same way.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, apiError, errorDocument, v1ErrorBody, type ErrorSource } from '../snyk/errors.js';

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
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return apiError(400, 'Client request did not conform to OpenAPI specification: the request body is not valid JSON', { pointer: '/' });
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return apiError(status, e.message);
  return apiError(500, 'An error was encountered while attempting to process the request.');
}

/** Where Snyk's v1 API is served: its errors are not JSON:API. */
export const V1_PREFIX = '/v1';
const isV1 = (url: string) => url === V1_PREFIX || url.startsWith(`${V1_PREFIX}/`) || url.startsWith(`${V1_PREFIX}?`);

export function sendError(reply: FastifyReply, err: ApiError, extraErrors: ApiError[] = []) {
  reply.code(err.status).headers(err.headers);
  if (isV1(reply.request.url)) return reply.type('application/json; charset=utf-8').send(v1ErrorBody(err));
  return reply.type(JSONAPI_MEDIA_TYPE).send(errorDocument([err, ...extraErrors]));
}

const toRegExp = (url: string) => new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}/?$`);

export default fp(
  async function errors(app: FastifyInstance) {
    // every route pattern and its methods, to tell 405 from 404
    const routes = new Map<string, { re: RegExp; methods: Set<string> }>();
    app.addHook('onRoute', (r) => {
      const entry = routes.get(r.url) ?? { re: toRegExp(r.url), methods: new Set<string>() };
      for (const m of [r.method].flat()) entry.methods.add(m);
      routes.set(r.url, entry);
    });

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
      const allowed = new Set<string>();
      for (const { re, methods } of routes.values()) if (re.test(path)) for (const m of methods) allowed.add(m);
      if (allowed.size > 0) {
        return sendError(reply, apiError(405, `Method ${request.method} is not allowed on ${path}; allowed: ${[...allowed].join(', ')}.`, undefined, { allow: [...allowed].join(', ') }));
      }
      return sendError(reply, apiError(404, `The resource being operated on could not be found: ${request.method} ${path}.`));
    });
  },
  { name: 'errors' },
);

export type { ErrorSource };
