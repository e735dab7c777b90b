// The spec validator itself: it must reject what the spec rejects, or the conformance checks prove nothing.
import t from 'tap';
import { specErrors } from './support/spec.js';

const sa = {
  id: '5a000000-0000-4000-8000-000000000001',
  type: 'service_account',
  attributes: { name: 'n', auth_type: 'api_key', role_id: '8f35d030-fdca-4335-827b-7c93e6426e7b' },
};
t.same(specErrors('GET', '/orgs/{org_id}/service_accounts/{serviceaccount_id}', 200, { jsonapi: { version: '1.0' }, data: sa, links: {} }), []);
t.not(
  specErrors('GET', '/orgs/{org_id}/service_accounts/{serviceaccount_id}', 200, { jsonapi: { version: '1.0' }, data: { ...sa, extra: 1 }, links: {} }).length,
  0,
  'extra member',
);
t.not(specErrors('GET', '/orgs/{org_id}/service_accounts/{serviceaccount_id}', 200, { jsonapi: { version: '1.0' }, data: sa }).length, 0, 'links missing');
t.not(
  specErrors('GET', '/orgs/{org_id}/service_accounts', 200, { jsonapi: { version: '1.0' }, data: [sa], links: {}, meta: {} }).length,
  0,
  'org list has no meta',
);
t.not(
  specErrors('GET', '/orgs/{org_id}/service_accounts', 400, { jsonapi: { version: '1.0' }, errors: [{ status: '400' }] }).length,
  0,
  'error without detail',
);
t.not(specErrors('POST', '/orgs/{org_id}/service_accounts', 403, {}).length, 0, 'undeclared status');
