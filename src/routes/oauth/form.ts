// Reading an OAuth request (RFC 6749): its form parameters and HTTP Basic client credentials,
// into the token and revocation requests the OAuth service takes. Parameters are read in a fixed
// order, so the first problem a request has is the one reported.
import { BASIC_CHALLENGE, invalidRequest, OAuthError } from '../../services/oauth-error.js';
import type { ClientCredentials, RevokeRequest, TokenRequest } from '../../services/oauth.js';

/** What a token or revocation request carries. */
export interface OAuthHttpRequest {
  form: URLSearchParams;
  authorization?: string;
  /** `${protocol}://${host}` the client called */
  origin: string;
}

/** One form parameter: repeated → invalid_request (RFC 6749 §3.2); empty → absent (§3.1). */
function param(form: URLSearchParams, name: string): string | undefined {
  const all = form.getAll(name);
  if (all.length > 1) throw invalidRequest(`${name} must not be repeated.`);
  return all[0] === '' ? undefined : all[0];
}

/**
 * HTTP Basic client authentication (RFC 6749 §2.3.1): id and secret are form-urlencoded, then
 * joined with ':' and base64-encoded. No Authorization header → undefined; another scheme or a
 * malformed value → invalid_client with a Basic challenge.
 */
function parseBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const m = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m)
    throw new OAuthError(
      401,
      'invalid_client',
      'The token endpoint takes HTTP Basic client authentication only ("Authorization: Basic base64(client_id:client_secret)").',
      BASIC_CHALLENGE,
    );
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s; // not form-encoded after all (many clients send the raw values)
    }
  };
  const clientId = i > 0 ? formDecode(decoded.slice(0, i)) : undefined;
  const clientSecret = i > 0 ? formDecode(decoded.slice(i + 1)) : undefined;
  if (!clientId || !clientSecret)
    throw new OAuthError(401, 'invalid_client', 'Malformed HTTP Basic credentials: expected base64(client_id:client_secret).', BASIC_CHALLENGE);
  return { clientId, clientSecret };
}

/** The client authentication of a request, every method it names (the service checks there is one). */
function clientCredentials({ form, authorization }: OAuthHttpRequest): ClientCredentials {
  const basic = parseBasic(authorization);
  return {
    basic,
    clientId: param(form, 'client_id'),
    clientSecret: param(form, 'client_secret'),
    assertionType: param(form, 'client_assertion_type'),
    assertion: param(form, 'client_assertion'),
  };
}

/** POST /oauth2/token: the grant and what it needs; a grant Snyk's OAuth API does not have is refused here. */
export function tokenRequest(req: OAuthHttpRequest): TokenRequest {
  const grant = param(req.form, 'grant_type');
  if (grant === undefined) throw invalidRequest('grant_type is required (service accounts use grant_type=client_credentials).');
  switch (grant) {
    case 'client_credentials':
      // a `scope` parameter is accepted and ignored: a service account's permissions are its role's
      param(req.form, 'scope');
      return { grant, client: clientCredentials(req), origin: req.origin };
    case 'authorization_code':
    case 'refresh_token': {
      const field = grant === 'authorization_code' ? 'code' : 'refresh_token';
      if (param(req.form, field) === undefined) throw invalidRequest(`${field} is required with grant_type=${grant}.`);
      return { grant, client: clientCredentials(req), origin: req.origin };
    }
    default:
      throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grant}" is not supported; service accounts use grant_type=client_credentials.`);
  }
}

/** POST /oauth2/revoke (RFC 7009): the token to revoke. */
export function revokeRequest(req: OAuthHttpRequest): RevokeRequest {
  const token = param(req.form, 'token');
  param(req.form, 'token_type_hint'); // allowed once; the mock has only access tokens to revoke
  if (token === undefined) throw invalidRequest('token is required: the access token to revoke.');
  return { token, client: clientCredentials(req), origin: req.origin };
}
