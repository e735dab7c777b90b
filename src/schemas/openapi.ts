// The OpenAPI document GET /rest/openapi/{version} serves, as far as the code reads it: each
// operation names the releases it exists in (x-snyk-api-releases).
export type Json = Record<string, unknown>;
export type Operation = Json & { 'x-snyk-api-releases'?: string[] };
export type OpenApiDocument = Json & { openapi: string; info: Json; paths: Record<string, Record<string, Operation>> };
