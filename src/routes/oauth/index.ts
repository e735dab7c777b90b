// /oauth2: the token endpoint, token revocation, and the mock's signing keys. Registered with the
// prefix /oauth2. Bodies are application/x-www-form-urlencoded (parsed here, scoped to this plugin)
// and every error, 404 and 405 included, is answered in the OAuth shape {error, error_description}.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedMethods } from '../../plugins/errors.js';
import { OAuthError } from '../../services/oauth-error.js';
import { revokeRequest, tokenRequest, type OAuthHttpRequest } from './form.js';
import { requestOrigin } from '../../plugins/request-origin.js';
import { wellFormed } from '../../snyk/json-input.js';
import { pathOf } from '../../snyk/http.js';

const FORM = 'application/x-www-form-urlencoded';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;
/** parameters that carry secrets: RFC 6749 §2.3.1 forbids them in the request URI */
const SECRET_PARAMS = ['client_secret', 'client_assertion', 'token', 'refresh_token', 'code'];

function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  const e = err as FastifyError;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new OAuthError(400, 'invalid_request', `The request body must be sent with Content-Type: ${FORM}.`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OAuthError(413, 'invalid_request', 'The request body is too large.');
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) return new OAuthError(400, 'invalid_request', e.message);
  return new OAuthError(500, 'server_error', 'An error was encountered while processing the request.');
}

function sendOAuthError(reply: FastifyReply, err: OAuthError) {
  return (
    reply
      .code(err.status)
      .headers({ ...NO_STORE, ...err.headers })
      .type('application/json; charset=utf-8')
      // a description may quote what a client assertion held: never a lone surrogate (snyk/json-input.ts)
      .send({ error: err.error, error_description: wellFormed(err.message) })
  );
}

export default async function oauthRoutes(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  app.setErrorHandler(async (err: unknown, request, reply) => {
    const oauthErr = toOAuthError(err);
    if (oauthErr.status >= 500) request.log.error({ err }, 'oauth request failed');
    return sendOAuthError(reply, oauthErr);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request.url).replace(/\/+$/, '');
    const methods = allowedMethods(app, path).join(', ');
    if (methods) {
      reply.header('allow', methods);
      return sendOAuthError(reply, new OAuthError(405, 'invalid_request', `Method ${request.method} is not allowed on ${path}; use ${methods}.`));
    }
    return sendOAuthError(
      reply,
      new OAuthError(404, 'invalid_request', `No OAuth endpoint at ${path}: the mock serves POST /oauth2/token, POST /oauth2/revoke and GET /oauth2/jwks.`),
    );
  });

  /** The form, the Authorization header and the origin the client called. */
  const oauthRequest = (request: FastifyRequest): OAuthHttpRequest => {
    const query = request.query as Record<string, unknown>;
    const inUrl = SECRET_PARAMS.find((p) => query[p] !== undefined);
    if (inUrl) throw new OAuthError(400, 'invalid_request', `${inUrl} must be sent in the form body, never in the URL.`);
    if (!request.headers['content-type']) throw new OAuthError(400, 'invalid_request', `The request body must be sent with Content-Type: ${FORM}.`);
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    return { form, authorization: request.headers.authorization, origin: requestOrigin(request) };
  };

  app.post('/token', {
    // Request an access token (client_credentials: client secret or private_key_jwt)
    handler: async (request, reply) => {
      const result = await app.oauth.token(tokenRequest(oauthRequest(request)));
      return reply.headers(NO_STORE).type('application/json; charset=utf-8').send(result);
    },
  });

  app.post('/revoke', {
    // Revoke an access token (RFC 7009)
    handler: async (request, reply) => {
      await app.oauth.revoke(revokeRequest(oauthRequest(request)));
      return reply.headers(NO_STORE).code(200).send();
    },
  });

  app.get('/jwks', {
    // The public keys the mock signs access tokens with
    handler: async (_request, reply) => {
      // the key is generated per process: clients should not cache it for long
      return reply.header('cache-control', 'public, max-age=60').type('application/json; charset=utf-8').send(app.oauth.jwks());
    },
  });
}
