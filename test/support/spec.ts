// Checks a response against the official Snyk OpenAPI extracts (spec/service-accounts-subset.json for
// /rest, spec/v1-group-roles.json for the v1 role list) with an independent validator (Ajv), so
// "matches the spec" is tested, not assumed.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const load = (file: string) => JSON.parse(readFileSync(new URL(`../../spec/${file}`, import.meta.url), 'utf8'));
const spec = load('service-accounts-subset.json');
const v1 = load('v1-group-roles.json');
const ajv = new Ajv.default({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(spec, 'spec');
ajv.addSchema(v1, 'v1');

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates `body` as the spec's response for (method, path template, status); returns Ajv errors. */
export function specErrors(method: string, template: string, status: number, body: unknown): string[] {
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`no operation ${method} ${template} in the spec`);
  let response = op.responses[String(status)];
  if (!response) return [`status ${status} is not declared for ${method} ${template}`];
  let ref = `spec#/paths/${esc(template)}/${method.toLowerCase()}/responses/${status}`;
  if (response.$ref) {
    ref = `spec${response.$ref}`;
    response = spec.components.responses[response.$ref.split('/').pop()];
  }
  if (!response.content) return body === undefined || body === '' ? [] : ['the spec declares no body'];
  const validate = ajv.getSchema(`${ref}/content/application~1vnd.api+json/schema`);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Validates an error body as the spec's ErrorDocument. */
export function errorDocumentErrors(body: unknown): string[] {
  const validate = ajv.getSchema('spec#/components/schemas/ErrorDocument')!;
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Validates a body as Snyk's v1 spec's 200 response of GET /group/{groupId}/roles. */
export function v1RolesErrors(body: unknown): string[] {
  const validate = ajv.getSchema('v1#/paths/~1group~1{groupId}~1roles/get/responses/200/content/application~1json;%20charset=utf-8/schema')!;
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
