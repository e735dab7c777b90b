// Generated data sets: N org service accounts, identical for json-server and
// snyk-mock, with deterministic ids so runs are comparable.
import { readFileSync, writeFileSync } from 'node:fs'

export const ORG_ID = '48dab934-c18e-4abf-b2b9-067e0fb2f0bf'
export const ROLE_ID = '8f35d030-fdca-4335-827b-7c93e6426e7b'
export const ADMIN_TOKEN = '11111111-1111-4111-8111-111111111111'

const T0 = Date.UTC(2024, 0, 1)

/** A valid RFC 4122 v4-shaped uuid derived from i (prefix "be4c" = bench). */
export const benchId = i => `be4c0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`

export function makeAccounts (n) {
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    out[i] = {
      id: benchId(i),
      name: `bench-${i}`,
      level: 'Org',
      org_id: ORG_ID,
      role_id: ROLE_ID,
      auth_type: 'api_key',
      created_at: new Date(T0 + i * 1000).toISOString()
    }
  }
  return out
}

/** The record a GET-one scenario asks for: the middle one (json-server scans linearly). */
export const middleId = n => benchId(Math.floor(n / 2))

/** json-server 0.17.4 db: one `service_accounts` collection. */
export function writeJsonServerDb (file, accounts) {
  writeFileSync(file, JSON.stringify({ service_accounts: accounts }))
}

/** snyk-mock fixtures: the shipped default fixtures plus `accounts`. */
export function writeMockFixtures (file, defaultFixturesFile, accounts) {
  const fixtures = JSON.parse(readFileSync(defaultFixturesFile, 'utf8'))
  fixtures.service_accounts = [...(fixtures.service_accounts ?? []), ...accounts]
  writeFileSync(file, JSON.stringify(fixtures))
}
