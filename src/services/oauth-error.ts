// Errors of the OAuth endpoints, answered in the OAuth shape `{error, error_description}` (RFC 6749 §5.2).

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'server_error';

export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode,
    description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export const invalidRequest = (d: string) => new OAuthError(400, 'invalid_request', d);

/** The challenge sent with an invalid_client answer to HTTP Basic client authentication. */
export const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="snyk-mock", charset="UTF-8"' };
