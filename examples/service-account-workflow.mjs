#!/usr/bin/env node
// The whole workflow a service-account automation runs, from nothing but a group id and a token:
//   list the group's orgs → find "Org Admin" in the v1 role list → per org: create an
//   oauth_client_secret service account → get an access token at /oauth2/token → call /rest/self as
//   that account → rotate its secret → delete it.
// Plain Node (20+, global fetch), no dependencies. Against snyk-mock or Snyk itself:
//   SNYK_API_URL=http://127.0.0.1:8080 SNYK_TOKEN=… SNYK_GROUP_ID=… node examples/service-account-workflow.mjs
// Secrets are never printed. Exit code 0 when every step worked, 1 (with the API's answer) otherwise.

const API = (process.env.SNYK_API_URL ?? 'https://api.snyk.io').replace(/\/$/, '');
const TOKEN = process.env.SNYK_TOKEN;
const GROUP = process.env.SNYK_GROUP_ID;
const VERSION = '2024-10-15';
const ROLE = process.env.SNYK_ROLE_NAME ?? 'Org Admin';
const ACCOUNT = process.env.SNYK_ACCOUNT_NAME ?? 'workflow-ci';

if (!TOKEN || !GROUP) {
  console.error('set SNYK_TOKEN (a Group Admin API token) and SNYK_GROUP_ID');
  process.exit(2);
}

class ApiError extends Error {}

/** One call; a non-2xx answer throws with the status and the body the API sent. */
async function api(method, path, { auth = `token ${TOKEN}`, body, form, expect = [200] } = {}) {
  const headers = { authorization: auth };
  let payload;
  if (body !== undefined) {
    headers['content-type'] = 'application/vnd.api+json';
    payload = JSON.stringify(body);
  } else if (form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(form).toString();
    delete headers.authorization;
  }
  const res = await fetch(`${API}${path}`, { method, headers, body: payload });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new ApiError(`${method} ${path.split('?')[0]} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const rest = (path) => `/rest${path}${path.includes('?') ? '&' : '?'}version=${VERSION}`;

/** Every page of a REST list: `links.next` is relative to the /rest base. */
async function all(path) {
  const items = [];
  let page = await api('GET', rest(path));
  items.push(...page.data);
  while (page.links?.next) {
    page = await api('GET', `/rest${page.links.next}`);
    items.push(...page.data);
  }
  return items;
}

const accessToken = async (clientId, clientSecret) =>
  (await api('POST', '/oauth2/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } })).access_token;

async function main() {
  // 1. the group's orgs (paged, alphabetically)
  const orgs = await all(`/groups/${GROUP}/orgs?limit=100`);
  console.log(`group ${GROUP}: ${orgs.length} org(s)`);

  // 2. the role's publicId from the v1 role list (plain JSON, no version)
  const roles = await api('GET', `/v1/group/${GROUP}/roles`);
  const role = roles.find((r) => r.name === ROLE);
  if (!role) throw new ApiError(`no role named "${ROLE}" in group ${GROUP}: ${roles.map((r) => r.name).join(', ')}`);
  console.log(`role "${role.name}": ${role.publicId}`);

  for (const org of orgs) {
    const base = `/orgs/${org.id}/service_accounts`;
    // 3. an oauth_client_secret account with that role
    const created = await api('POST', rest(base), {
      body: {
        data: {
          type: 'service_account',
          attributes: { name: ACCOUNT, role_id: role.publicId, auth_type: 'oauth_client_secret', access_token_ttl_seconds: 3600 },
        },
      },
      expect: [201],
    });
    const account = created.data;
    const { client_id: clientId, client_secret: firstSecret } = account.attributes;
    try {
      // 4. an access token with the client secret
      const token = await accessToken(clientId, firstSecret);
      // 5. the API as that account
      const self = await api('GET', rest('/self'), { auth: `bearer ${token}` });
      if (self.data.id !== account.id || self.data.attributes.default_org_context !== org.id) {
        throw new ApiError(`/self answered ${JSON.stringify(self.data)} for account ${account.id}`);
      }
      // 6. rotate: the new secret works, the old one no longer does
      const rotated = await api('POST', rest(`${base}/${account.id}/secrets`), {
        body: { data: { type: 'service_account', attributes: { mode: 'replace' } } },
      });
      await accessToken(clientId, rotated.data.attributes.client_secret);
      await api('POST', '/oauth2/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: firstSecret }, expect: [401] });
    } finally {
      // 7. delete it (also when a step above failed), which revokes its credentials
      await api('DELETE', rest(`${base}/${account.id}`), { expect: [204] });
    }
    console.log(`${org.attributes.slug}: created ${ACCOUNT} (${account.id}), token ok, /self ok, secret rotated, deleted`);
  }
  console.log(`done: ${orgs.length} org(s)`);
}

main().catch((err) => {
  console.error(err instanceof ApiError ? err.message : err);
  process.exit(1);
});
