// The one error factory: every error a client sees is a JSON:API ErrorDocument built from Snyk's own
// error catalog (@snyk/error-catalog-nodejs-public), so codes, titles and doc links match Snyk's;
// under the v1 API (no JSON:API there) the same error is sent as v1's plain {code, message, error}.
import { OpenAPI, type ProblemError, Snyk } from '@snyk/error-catalog-nodejs-public';

export type ErrorSource = { pointer: string } | { parameter: string };

type CatalogClass = new (detail: string, additionalData?: Record<string, unknown>) => ProblemError;

// status → catalog entry. 401 is SNYK-0005 ("Authentication error"), what Snyk's services send for
// unrecognised credentials; the 4xx are the SNYK-OPENAPI-* entries of the same status; the 5xx (the
// gateway errors fault rules answer) the Snyk entries: 500 SNYK-9999, 502 SNYK-0008, 503 SNYK-0009,
// 504 SNYK-0004.
const BY_STATUS: Record<number, CatalogClass> = {
  400: OpenAPI.BadRequestError,
  401: Snyk.UnauthorisedError,
  403: OpenAPI.ForbiddenError,
  404: OpenAPI.NotFoundError,
  405: OpenAPI.MethodNotAllowedError,
  406: OpenAPI.NotAcceptableError,
  409: OpenAPI.ConflictError,
  413: OpenAPI.RequestEntityTooLargeError,
  415: OpenAPI.UnsupportedMediaTypeError,
  429: Snyk.TooManyRequestsError,
  500: Snyk.ServerError,
  502: Snyk.BadGatewayError,
  503: Snyk.ServiceUnavailableError,
  504: Snyk.TimeoutError,
};

/** An error on its way to the client: a catalog error plus where in the request it points. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemError,
    readonly source?: ErrorSource,
    readonly headers: Record<string, string> = {},
  ) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  /** The status under the name Node and Fastify use, for handlers that only know that one. */
  get statusCode(): number {
    return this.status;
  }
}

export function apiError(status: number, detail: string, source?: ErrorSource, headers?: Record<string, string>): ApiError {
  const Cls = BY_STATUS[status] ?? (status >= 500 ? Snyk.ServerError : OpenAPI.BadRequestError);
  return new ApiError(status, new Cls(detail), source, headers);
}

// Shorthands for the statuses the API uses most, so call sites read as the rule they enforce.
export const badRequest = (detail: string, source?: ErrorSource) => apiError(400, detail, source);
export const unauthorized = (detail: string) => apiError(401, detail);
export const notFound = (detail: string, source?: ErrorSource) => apiError(404, detail, source);
export const conflict = (detail: string, source?: ErrorSource) => apiError(409, detail, source);

/** An error as Snyk's v1 API sends it: plain JSON, the message twice (`message` and `error`). */
export interface V1ErrorBody {
  code: number;
  message: string;
  error: string;
}

export function v1ErrorBody(e: ApiError): V1ErrorBody {
  return { code: e.status, message: e.problem.detail, error: e.problem.detail };
}
