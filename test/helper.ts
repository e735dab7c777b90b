// Builds the app for tests: in-memory store on the default fixtures, silent logs, closed at teardown.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { build, type BuildDeps } from '../src/app.js';
import { resolveSettings, type Settings } from '../src/settings/config.js';

export const V = '2024-10-15';

/** Identifiers of fixtures/default.json that users rely on. */
export const IDS = {
  acmeGroup: '1494f2c8-49ef-4336-8e48-99c4089744b4',
  frontend: '48dab934-c18e-4abf-b2b9-067e0fb2f0bf',
  backend: 'a2f3c5ca-5ec9-4381-b41c-c00e701d68ca',
  otherGroup: '2be28b1f-538b-4e7b-84ae-2f6d196145dc',
  otherOrg: '25fb01fb-d7f0-495e-be63-ef3eb91c447f',
  tenant: '3c1f0e5a-7d2b-4e8c-9a6f-1b2d3e4f5a6b',
  roles: {
    /** a custom org role of the default fixtures (read only) */
    orgAuditor: '0f7b3a52-9c1e-4d8a-b6f4-2e5c7a9d1b3f',
    groupAdmin: 'f1441750-d48c-40ad-8b52-eba1de03beff',
    groupViewer: '50a4d5b6-a442-4a19-a6f9-4abcc3309719',
    orgAdmin: '8f35d030-fdca-4335-827b-7c93e6426e7b',
    orgCollaborator: 'd7348460-4398-4ba8-80a4-45d5c997eac7',
  },
  users: {
    admin: '7c65ba80-bb77-4720-a770-d655348d4521',
    viewer: '34e37ece-fa55-4090-a690-c40480708dab',
    collaborator: '57ab6c4d-be78-4621-85f5-9a55c366aa55',
  },
  /** seeded accounts */
  sa: {
    frontendCi: '5a000000-0000-4000-8000-000000000001',
    frontendDeployer: '5a000000-0000-4000-8000-000000000002',
    frontendSigner: '5a000000-0000-4000-8000-000000000003',
    frontendToken: '5a000000-0000-4000-8000-000000000004',
    groupAdminBot: '5a000000-0000-4000-8000-000000000009',
    groupOauth: '5a000000-0000-4000-8000-000000000011',
  },
} as const;

export const TOKENS = {
  admin: '11111111-1111-4111-8111-111111111111',
  viewer: '22222222-2222-4222-8222-222222222222',
  collaborator: '33333333-3333-4333-8333-333333333333',
  /** api key of the seeded org account frontend-ci (Org Admin of acme-frontend) */
  frontendCi: '5a000000-0000-4000-8000-00000000a001',
  /** api key of the seeded org account frontend-collaborator (Org Collaborator of acme-frontend) */
  frontendCollaborator: '5a000000-0000-4000-8000-00000000a005',
  /** api key of the seeded group account group-viewer-bot (Group Viewer of Acme Group) */
  groupViewerBot: '5a000000-0000-4000-8000-00000000a010',
  /** client secret of the seeded frontend-deployer account */
  frontendDeployerSecret: 'demo-secret-frontend-deployer',
} as const;

export const auth = (token: string = TOKENS.admin) => ({ authorization: `token ${token}` });
const JSONAPI = { 'content-type': 'application/vnd.api+json' };

interface Tap {
  teardown(fn: () => unknown): void;
}

export interface AppOptions extends BuildDeps {
  /** over the embedded profile's settings (in memory, nothing from the environment) */
  settings?: Partial<Settings>;
}

/** The settings of a test app: the embedded profile, silent, with `overrides`. */
export const testSettings = (overrides: Partial<Settings> = {}): Settings => resolveSettings({ overrides: { logLevel: 'silent', ...overrides } });

/** A fresh app on the in-memory store; pass `settings` / BuildDeps to change it. */
export async function buildApp(t: Tap, opts: AppOptions = {}): Promise<FastifyInstance> {
  const { settings, ...deps } = opts;
  const app = await build(testSettings(settings), { logger: false, ...deps });
  t.teardown(() => app.close());
  return app;
}

/** `inject` with the admin token and JSON:API content type unless overridden. */
export function call(app: FastifyInstance, opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse> {
  const { token, headers, ...rest } = opts;
  return app.inject({
    ...rest,
    headers: { ...auth(token), ...(rest.payload !== undefined ? JSONAPI : {}), ...headers },
  } as InjectOptions);
}

export const orgPath = (org: string = IDS.frontend, id?: string) => `/rest/orgs/${org}/service_accounts${id ? `/${id}` : ''}`;
export const groupPath = (group: string = IDS.acmeGroup, id?: string) => `/rest/groups/${group}/service_accounts${id ? `/${id}` : ''}`;

export const createBody = (attributes: Record<string, unknown>) => ({ data: { type: 'service_account', attributes } });

/** POST a JSON body to an /__admin route. */
export const adminPost = (app: FastifyInstance, route: string, body: unknown) =>
  app.inject({ method: 'POST', url: `/__admin/${route}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
