// The scenario plan: documented calls only, across the whole service-account surface. A step's
// strings may name values of the run in braces ({org}, {org.key}, {org.oauth.secret}); the runner
// fills them in from what earlier steps saved, and `--dry-run` prints them as they are.
import { randomUUID } from 'node:crypto';
import { type Auth, type PlanOptions, type Scope, type Step, VERSION } from './step.js';

const owner = (s: Scope) => (s === 'org' ? '/rest/orgs/{org}' : '/rest/groups/{group}');
const sas = (s: Scope, id?: string) => `${owner(s)}/service_accounts${id ? `/{${id}}` : ''}`;
const role = (s: Scope) => (s === 'org' ? '{orgRole}' : '{groupRole}');
// a service-account document: the body of a create and of a secrets request alike
const account = (attributes: Record<string, unknown>) => ({ data: { type: 'service_account', attributes } });
const bearer = (value: string): Auth => ({ scheme: 'bearer', value: `{${value}}` });

function creations(s: Scope, o: PlanOptions): Step[] {
  const expires = new Date(o.now.getTime() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const steps: Step[] = [
    {
      label: `${s}: create an api_key account`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-key`, role_id: role(s), auth_type: 'api_key' }),
      creates: { scope: s, as: `${s}.key` },
      save: { [`${s}.key.api_key`]: 'data.attributes.api_key' },
    },
    {
      label: `${s}: create an oauth_client_secret account`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-oauth`, role_id: role(s), auth_type: 'oauth_client_secret', access_token_ttl_seconds: 3600 }),
      creates: { scope: s, as: `${s}.oauth` },
      save: { [`${s}.oauth.client_id`]: 'data.attributes.client_id', [`${s}.oauth.secret1`]: 'data.attributes.client_secret' },
    },
    {
      label: `${s}: create an access_token account`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-token`, role_id: role(s), auth_type: 'access_token', access_token_expires_at: expires }),
      creates: { scope: s, as: `${s}.tok` },
      save: { [`${s}.tok.token`]: 'data.attributes.access_token' },
    },
  ];
  if (o.jwksUrl) {
    steps.push({
      label: `${s}: create an oauth_private_key_jwt account`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-jwt`, role_id: role(s), auth_type: 'oauth_private_key_jwt', jwks_url: o.jwksUrl }),
      creates: { scope: s, as: `${s}.jwt` },
      save: { [`${s}.jwt.client_id`]: 'data.attributes.client_id' },
    });
  }
  return steps;
}

function operations(s: Scope, o: PlanOptions): Step[] {
  const other: Scope = s === 'org' ? 'group' : 'org';
  const steps: Step[] = [
    { label: `${s}: get the api_key account`, method: 'GET', path: sas(s, `${s}.key`) },
    { label: `${s}: get the oauth account`, method: 'GET', path: sas(s, `${s}.oauth`) },
    { label: `${s}: list (default limit)`, method: 'GET', path: sas(s) },
    {
      label: `${s}: rename`,
      method: 'PATCH',
      path: sas(s, `${s}.key`),
      json: { data: { type: 'service_account', id: `{${s}.key}`, attributes: { name: `${o.prefix}-${s}-key-renamed` } } },
    },
    {
      label: `${s}: rename with another id in the body`,
      method: 'PATCH',
      path: sas(s, `${s}.key`),
      json: { data: { type: 'service_account', id: `{${s}.oauth}`, attributes: { name: `${o.prefix}-${s}-mismatch` } } },
    },
    {
      label: `${s}: rename with an unknown attribute`,
      method: 'PATCH',
      path: sas(s, `${s}.key`),
      json: { data: { type: 'service_account', id: `{${s}.key}`, attributes: { name: `${o.prefix}-x`, role_id: role(s) } } },
    },
    {
      label: `${s}: secrets create`,
      method: 'POST',
      path: `${sas(s, `${s}.oauth`)}/secrets`,
      json: account({ mode: 'create' }),
      save: { [`${s}.oauth.secret2`]: 'data.attributes.client_secret' },
    },
    {
      label: `${s}: secrets delete (the first)`,
      method: 'POST',
      path: `${sas(s, `${s}.oauth`)}/secrets`,
      json: account({ mode: 'delete', secret: `{${s}.oauth.secret1}` }),
    },
    {
      label: `${s}: secrets replace`,
      method: 'POST',
      path: `${sas(s, `${s}.oauth`)}/secrets`,
      json: account({ mode: 'replace' }),
      save: { [`${s}.oauth.secret3`]: 'data.attributes.client_secret' },
    },
    {
      label: `${s}: secrets delete the last one`,
      method: 'POST',
      path: `${sas(s, `${s}.oauth`)}/secrets`,
      json: account({ mode: 'delete', secret: `{${s}.oauth.secret3}` }),
    },
    { label: `${s}: secrets on an api_key account`, method: 'POST', path: `${sas(s, `${s}.key`)}/secrets`, json: account({ mode: 'replace' }) },
    { label: `${s}: secrets with an unknown mode`, method: 'POST', path: `${sas(s, `${s}.oauth`)}/secrets`, json: account({ mode: 'rotate' }) },
    {
      label: `${s}: token (client secret)`,
      method: 'POST',
      path: '/oauth2/token',
      auth: 'none',
      form: { grant_type: 'client_credentials', client_id: `{${s}.oauth.client_id}`, client_secret: `{${s}.oauth.secret3}` },
      save: { [`${s}.bearer`]: 'access_token' },
    },
    {
      label: `${s}: token with a wrong secret`,
      method: 'POST',
      path: '/oauth2/token',
      auth: 'none',
      form: { grant_type: 'client_credentials', client_id: `{${s}.oauth.client_id}`, client_secret: `{${s}.oauth.secret1}` },
    },
    { label: `${s}: bearer: self`, method: 'GET', path: '/rest/self', auth: bearer(`${s}.bearer`) },
    { label: `${s}: bearer: list`, method: 'GET', path: sas(s), auth: bearer(`${s}.bearer`) },
    { label: `${s}: api key: self`, method: 'GET', path: '/rest/self', auth: { scheme: 'token', value: `{${s}.key.api_key}` } },
    { label: `${s}: access token: self`, method: 'GET', path: '/rest/self', auth: bearer(`${s}.tok.token`) },
    {
      label: `${s}: duplicate name`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-key-renamed`, role_id: role(s), auth_type: 'api_key' }),
      creates: { scope: s, as: `${s}.dup` },
    },
    {
      label: `${s}: create without auth_type`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-bad`, role_id: role(s) }),
      creates: { scope: s, as: `${s}.bad1` },
    },
    {
      label: `${s}: create with a ttl under the minimum`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-bad2`, role_id: role(s), auth_type: 'oauth_client_secret', access_token_ttl_seconds: 60 }),
      creates: { scope: s, as: `${s}.bad2` },
    },
    {
      label: `${s}: access_token without its expiry`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-bad3`, role_id: role(s), auth_type: 'access_token' }),
      creates: { scope: s, as: `${s}.bad3` },
    },
    {
      label: `${s}: private_key_jwt without jwks_url`,
      method: 'POST',
      path: sas(s),
      json: account({ name: `${o.prefix}-${s}-bad4`, role_id: role(s), auth_type: 'oauth_private_key_jwt' }),
      creates: { scope: s, as: `${s}.bad4` },
    },
    { label: `${s}: unknown account`, method: 'GET', path: `${owner(s)}/service_accounts/${randomUUID()}` },
    { label: `${s}: delete an unknown account`, method: 'DELETE', path: `${owner(s)}/service_accounts/${randomUUID()}` },
    { label: `${s}: unknown ${s}`, method: 'GET', path: `/rest/${s}s/${randomUUID()}/service_accounts` },
    { label: `${s}: the ${other}'s account through the ${s}`, method: 'GET', path: sas(s, `${other}.key`) },
  ];
  if (o.jwksUrl && o.canSign) {
    steps.push(
      {
        label: `${s}: token (private key JWT)`,
        method: 'POST',
        path: '/oauth2/token',
        auth: 'none',
        form: {
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: `{assertion:${s}.jwt.client_id}`,
        },
        save: { [`${s}.jwt.bearer`]: 'access_token' },
      },
      { label: `${s}: private key JWT bearer: self`, method: 'GET', path: '/rest/self', auth: bearer(`${s}.jwt.bearer`) },
    );
  }
  return steps;
}

function deletions(s: Scope): Step[] {
  const del = (name: string): Step => ({ label: `${s}: delete ${name}`, method: 'DELETE', path: sas(s, `${s}.${name}`), deletes: `${s}.${name}` });
  return [
    del('key'),
    { label: `${s}: get a deleted account`, method: 'GET', path: sas(s, `${s}.key`) },
    { label: `${s}: delete it again`, method: 'DELETE', path: sas(s, `${s}.key`) },
    del('oauth'),
    {
      label: `${s}: token of a deleted account`,
      method: 'POST',
      path: '/oauth2/token',
      auth: 'none',
      form: { grant_type: 'client_credentials', client_id: `{${s}.oauth.client_id}`, client_secret: `{${s}.oauth.secret3}` },
    },
    del('tok'),
    { label: `${s}: access token of a deleted account`, method: 'GET', path: '/rest/self', auth: bearer(`${s}.tok.token`) },
  ];
}

const list = (label: string, query: Record<string, string | null>, auth?: Auth): Step => ({ label, method: 'GET', path: sas('org'), query, auth });

function errors(): Step[] {
  return [
    list('no auth', {}, 'none'),
    list('a token nobody has', {}, 'bad'),
    list('a malformed authorization header', {}, 'malformed'),
    list('no version', { version: null }),
    list('a version that is not one', { version: 'not-a-version' }),
    list('a version from the future', { version: '2999-01-01' }),
    list('a version before the API', { version: '2020-01-01' }),
    list('a version with ~beta', { version: `${VERSION}~beta` }),
    {
      label: 'create as application/json',
      method: 'POST',
      path: sas('org'),
      contentType: 'application/json',
      raw: JSON.stringify(account({ name: 'x', role_id: '{orgRole}', auth_type: 'api_key' })),
    },
    { label: 'create with a body that is not JSON', method: 'POST', path: sas('org'), raw: '{"data": ' },
    list('limit under the minimum', { limit: '5' }),
    list('limit not a multiple of 10', { limit: '15' }),
    list('limit over the maximum', { limit: '110' }),
    list('limit not a number', { limit: 'ten' }),
    list('limit 100', { limit: '100' }),
    list('a cursor that is not one', { starting_after: 'not-a-cursor' }),
  ];
}

function pagination(o: PlanOptions): Step[] {
  const steps: Step[] = [];
  for (let i = 1; i <= 8; i++) {
    steps.push({
      label: `pages: create account ${i} of 8`,
      method: 'POST',
      path: sas('org'),
      json: account({ name: `${o.prefix}-org-page-${i}`, role_id: '{orgRole}', auth_type: 'api_key' }),
      creates: { scope: 'org', as: `org.page${i}` },
    });
  }
  steps.push(
    list('pages: first page (limit 10)', { limit: '10' }),
    { ...list('pages: limit 10 again, keeping the next link', { limit: '10' }), save: { 'org.next': 'links.next' } },
    { ...list('pages: the next page', { limit: '10', starting_after: '{cursor:org.next}' }), save: { 'org.prev': 'links.prev' } },
    list('pages: back', { limit: '10', ending_before: '{cursor:org.prev}' }),
    { label: 'pages: group list (limit 10)', method: 'GET', path: sas('group'), query: { limit: '10' } },
  );
  for (let i = 1; i <= 8; i++) steps.push({ label: `pages: delete account ${i}`, method: 'DELETE', path: sas('org', `org.page${i}`), deletes: `org.page${i}` });
  return steps;
}

const discovery: Step[] = [
  { label: 'self', method: 'GET', path: '/rest/self' },
  { label: 'orgs', method: 'GET', path: '/rest/orgs', query: { limit: '100' } },
  { label: 'groups', method: 'GET', path: '/rest/groups' },
  { label: 'the org', method: 'GET', path: '/rest/orgs/{org}' },
  { label: 'the group', method: 'GET', path: '/rest/groups/{group}' },
  { label: 'v1 roles of the group', method: 'GET', path: '/v1/group/{group}/roles', save: { orgRole: 'role:Org Admin', groupRole: 'role:Group Admin' } },
];

/** The whole plan, in order. */
export function plan(o: PlanOptions): Step[] {
  return [
    ...discovery,
    ...creations('org', o),
    ...creations('group', o),
    ...operations('org', o),
    ...operations('group', o),
    ...errors(),
    ...pagination(o),
    ...deletions('org'),
    ...deletions('group'),
  ];
}
