// The end-to-end checks every auth type goes through once it has a credential: who am I, what can
// I read, what is outside my scope (404), which writes my role forbids (403).
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { createBody, IDS, V } from '../helper.js';
import type { Tap } from './oauth.js';

export interface Sent {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Sends a /rest request with the credential under test (inject, or a real port). */
export type Send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: unknown) => Promise<Sent>;

const withVersion = (path: string) => `${path}${path.includes('?') ? '&' : '?'}version=${V}`;

export function injectSender(app: FastifyInstance, authorization: string): Send {
  return async (method, path, payload) => {
    const res = await app.inject({
      method,
      url: withVersion(path),
      headers: { authorization, ...(payload !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}) },
      ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
    });
    return { status: res.statusCode, body: res.body ? res.json() : undefined };
  };
}

export function httpSender(origin: string, authorization: string): Send {
  return async (method, path, payload) => {
    const res = await request(`${origin}${withVersion(path)}`, {
      method,
      headers: { authorization, ...(payload !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}) },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
  };
}

const org = (id: string, sa?: string) => `/rest/orgs/${id}/service_accounts${sa ? `/${sa}` : ''}`;
const group = (id: string, sa?: string) => `/rest/groups/${id}/service_accounts${sa ? `/${sa}` : ''}`;

/** An Org Admin account of acme-frontend: its org only. */
export async function checkOrgAdminOfFrontend(t: Tap, send: Send, self: { id: string; name: string }) {
  const me = await send('GET', '/rest/self');
  t.equal(me.status, 200, 'GET /rest/self');
  t.same(me.body.data, { id: self.id, type: 'service_account', attributes: { name: self.name, default_org_context: IDS.frontend } });

  const list = await send('GET', org(IDS.frontend));
  t.equal(list.status, 200, 'list its org');
  t.ok(
    list.body.data.some((sa: { id: string }) => sa.id === self.id),
    'it is in the list',
  );
  t.equal((await send('GET', org(IDS.frontend, self.id))).status, 200, 'get itself');
  t.equal((await send('GET', org(IDS.frontend, IDS.sa.frontendCi))).status, 200, 'get another account of its org');

  for (const [what, path] of [
    ['another org of the same group', org(IDS.backend)],
    ['an org of another group', org(IDS.otherOrg)],
    ['its own group (org roles do not reach up)', group(IDS.acmeGroup)],
    ['another group', group(IDS.otherGroup)],
  ]) {
    t.equal((await send('GET', path)).status, 404, `404 outside its scope: ${what}`);
    t.equal(
      (await send('POST', path, createBody({ name: 'nope', auth_type: 'api_key', role_id: IDS.roles.orgAdmin }))).status,
      404,
      `404 on a write outside its scope: ${what}`,
    );
  }
  // Org Admin may write in its org
  const made = await send('POST', org(IDS.frontend), createBody({ name: `made-by-${self.name}`, auth_type: 'api_key', role_id: IDS.roles.orgCollaborator }));
  t.equal(made.status, 201, 'Org Admin creates in its org');
  t.equal((await send('DELETE', org(IDS.frontend, made.body.data.id))).status, 204, 'and deletes');
}

/** A Group Viewer account of Acme Group: reads the group and its orgs, writes nothing. */
export async function checkGroupViewerOfAcme(t: Tap, send: Send, self: { id: string; name: string }) {
  const me = await send('GET', '/rest/self');
  t.equal(me.status, 200, 'GET /rest/self');
  t.same(me.body.data, { id: self.id, type: 'service_account', attributes: { name: self.name } }, 'a group account has no default org');

  t.equal((await send('GET', group(IDS.acmeGroup))).status, 200, 'list its group');
  t.equal((await send('GET', group(IDS.acmeGroup, self.id))).status, 200, 'get itself');
  t.equal((await send('GET', org(IDS.frontend))).status, 200, 'list an org of its group');
  t.equal((await send('GET', org(IDS.backend, '5a000000-0000-4000-8000-000000000006'))).status, 200, 'get an account of another org of its group');

  t.equal((await send('GET', group(IDS.otherGroup))).status, 404, '404: the other group');
  t.equal((await send('GET', org(IDS.otherOrg))).status, 404, '404: an org of the other group');
  t.equal((await send('DELETE', group(IDS.otherGroup, self.id))).status, 404, '404 on a write to the other group');

  const body = createBody({ name: 'viewer-made', auth_type: 'api_key', role_id: IDS.roles.groupViewer });
  t.equal((await send('POST', group(IDS.acmeGroup), body)).status, 403, '403: a Group Viewer cannot create in its group');
  t.equal(
    (await send('POST', org(IDS.frontend), createBody({ name: 'viewer-made', auth_type: 'api_key', role_id: IDS.roles.orgAdmin }))).status,
    403,
    '403: nor in its orgs',
  );
  t.equal(
    (await send('PATCH', group(IDS.acmeGroup, self.id), { data: { type: 'service_account', id: self.id, attributes: { name: 'renamed' } } })).status,
    403,
    '403: nor rename',
  );
  t.equal((await send('DELETE', org(IDS.frontend, IDS.sa.frontendCi))).status, 403, '403: nor delete');
}
