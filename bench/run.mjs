#!/usr/bin/env node
// snyk-mock benchmark: starts every server itself on 127.0.0.1 (free ports),
// drives each with wrk for a bounded time, prints a markdown table and
// writes it to bench/results.md. See bench/README.md for what each row means.
//
//   npm run bench                      (from the repo root)
//   BENCH_DURATION=10 node bench/run.mjs
//
// Environment:
//   BENCH_DURATION   seconds measured per scenario (default 5; +1 s warm-up each)
//   BENCH_ONLY       comma list of groups to run: bare,mock,json-server,prism
//                    (then writes bench/results-partial.md, not results.md)
//   BENCH_SKIP_BUILD 1 = use the existing dist/ instead of `npm run build`
//   BENCH_KEEP_TMP   1 = keep the temp dir (dbs, fixtures, server logs)
//   BENCH_MOCK_ENTRY path of the mock's entry script (default dist/cli.js if
//                    src/cli.ts exists, else dist/server.js); skips the build
//   BENCH_MOCK_FIXTURES default fixtures to extend (default fixtures/default.json)
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ADMIN_TOKEN, ORG_ID, ROLE_ID, makeAccounts, middleId, writeJsonServerDb, writeMockFixtures } from './lib/data.mjs'
import { CONNECTIONS, DURATION_S, PAIR_PLACEMENT, PAIR_WARMUP_S, THREADS, WARMUP_S, ensureWrk, measure, measurePair } from './lib/load.mjs'
import { HOST, freePort, installCleanupHandlers, logTail, request, rssMiB, startProcess, stopProcess, waitForHttp } from './lib/proc.mjs'

const require = createRequire(import.meta.url)
const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(BENCH_DIR, '..')
const SPEC = resolve(ROOT, '../shared/snyk-spec/service-accounts-subset.json')
const DEFAULT_FIXTURES = resolve(process.env.BENCH_MOCK_FIXTURES ?? join(ROOT, 'fixtures', 'default.json'))
// a partial run (BENCH_ONLY) must not overwrite the full table meant for docs/benchmarks.md
const RESULTS_MD = join(BENCH_DIR, process.env.BENCH_ONLY ? 'results-partial.md' : 'results.md')

const JSON_SERVER_BIN = require.resolve('json-server/lib/cli/bin.js')
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js')
const versionOf = pkg => require(`${pkg}/package.json`).version

const GROUPS = ['bare', 'mock', 'json-server', 'prism']
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map(s => s.trim()).filter(Boolean) : GROUPS
for (const g of only) if (!GROUPS.includes(g)) throw new Error(`BENCH_ONLY: unknown group "${g}" (known: ${GROUPS.join(', ')})`)
const enabled = g => only.includes(g)

const SIZES = [1_000, 10_000, 100_000]
const VERSION = '2024-10-15'
const AUTH = { authorization: `token ${ADMIN_TOKEN}` }
const JSONAPI = 'application/vnd.api+json'
const CREATE_BODY = JSON.stringify({
  data: { type: 'service_account', attributes: { name: 'bench-create-[<id>]', role_id: ROLE_ID, auth_type: 'api_key' } }
})
const STARTUP_REPEATS = 5
// the mock and its same-bytes twin are measured at the same time in rounds, so drift hits both alike
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4)
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) throw new Error(`BENCH_ROUNDS must be a positive integer, got ${process.env.BENCH_ROUNDS}`)

const tStart = performance.now()
const tmp = mkdtempSync(join(os.tmpdir(), 'snyk-mock-bench-'))
const results = {} // key -> measure() result
const baselines = [] // bare Fastify runs, in order; one before and one after each group
const startup = {} // key -> { first, restarts: [] } in ms; importOnly -> { restarts: [] }
const memory = {} // key -> MiB
const failures = [] // { group, error }
const notes = []

installCleanupHandlers(() => {
  if (process.env.BENCH_KEEP_TMP === '1') console.error(`temp dir kept: ${tmp}`)
  else rmSync(tmp, { recursive: true, force: true })
})

const log = msg => process.stderr.write(msg + '\n')
const fmtInt = n => Math.round(n).toLocaleString('en-US')
const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const ms = n => `${fmtInt(n)} ms`

function dir (name) {
  const d = join(tmp, name)
  mkdirSync(d, { recursive: true })
  return d
}

/** Run `fn` with a server; the server is always stopped afterwards. */
async function withServer (start, fn) {
  const srv = await start()
  try {
    return await fn(srv)
  } finally {
    await stopProcess(srv.child)
  }
}

async function group (name, fn) {
  if (!enabled(name)) return
  log(`\n== ${name}`)
  try {
    await fn()
  } catch (err) {
    log(`  FAILED: ${err.message}`)
    failures.push({ group: name, error: err.message })
  }
}

// ---------------------------------------------------------------- servers --

async function startBare () {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const child = startProcess({
    name: 'bare-fastify',
    cmd: process.execPath,
    args: [join(BENCH_DIR, 'servers', 'bare-fastify.mjs')],
    env: { PORT: String(port), HOST },
    cwd: BENCH_DIR,
    logFile: join(dir('bare'), 'server.log')
  })
  await waitForHttp(`${base}/`, { child })
  return { child, base }
}

/** The same-bytes twin: replays `responses` ({ path: { status, headers, body } }) with bare Fastify. */
async function startSameBytes (responses, d) {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const file = join(d, 'same-bytes.json')
  writeFileSync(file, JSON.stringify(responses))
  const child = startProcess({
    name: 'same-bytes',
    cmd: process.execPath,
    args: [join(BENCH_DIR, 'servers', 'same-bytes.mjs')],
    env: { PORT: String(port), HOST, RESPONSES: file },
    cwd: BENCH_DIR,
    logFile: join(d, 'same-bytes.log')
  })
  await waitForHttp(`${base}/__admin/health`, { child })
  return { child, base }
}

/** The start-up baseline: imports the mock's libraries, then answers health (servers/import-only.mjs). */
async function startImportOnly () {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const since = performance.now()
  const child = startProcess({
    name: 'import-only',
    cmd: process.execPath,
    args: [join(BENCH_DIR, 'servers', 'import-only.mjs')],
    env: { PORT: String(port), HOST },
    cwd: ROOT,
    logFile: join(dir('import-only'), 'server.log')
  })
  const startupMs = await waitForHttp(`${base}/__admin/health`, { child, since })
  return { child, base, startupMs }
}

/** What the mock answers on each path (status, headers, body), for its same-bytes twin. */
async function capture (base, paths) {
  const out = {}
  for (const path of paths) {
    const res = await expect2xx(base + path, AUTH, `capture ${path}`)
    out[path] = { status: res.status, headers: res.headers, body: res.body }
  }
  return out
}

/** Several rounds of one scenario as one result: mean req/s, worst p99, summed errors. */
function combine (runs) {
  const sum = k => runs.reduce((s, r) => s + r[k], 0)
  return { ...runs[0], label: runs[0].label.replace(/ \(round \d+\)$/, ''), rps: sum('rps') / runs.length, total: sum('total'), p99: Math.max(...runs.map(r => r.p99)), non2xx: sum('non2xx'), errors: sum('errors'), timeouts: sum('timeouts'), rounds: runs.map(r => r.rps) }
}

async function startJsonServer (dbFile) {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const since = performance.now()
  const child = startProcess({
    name: 'json-server',
    cmd: process.execPath,
    // shipped defaults (logging, gzip, CORS), only port/host/db given
    args: [JSON_SERVER_BIN, '--port', String(port), '--host', HOST, dbFile],
    cwd: dirname(dbFile),
    logFile: join(dirname(dbFile), 'server.log')
  })
  const startupMs = await waitForHttp(`${base}/service_accounts/${middleId(1)}`, { child, since })
  return { child, base, startupMs }
}

async function startPrism () {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const since = performance.now()
  const child = startProcess({
    name: 'prism',
    cmd: process.execPath,
    // shipped defaults: static examples, info logging, single process
    args: [PRISM_BIN, 'mock', SPEC, '--host', HOST, '--port', String(port)],
    cwd: BENCH_DIR,
    logFile: join(dir('prism'), 'server.log')
  })
  const startupMs = await waitForHttp(`${base}/orgs/${ORG_ID}/service_accounts/${middleId(1)}?version=${VERSION}`, { child, since, headers: AUTH })
  return { child, base, startupMs }
}

function mockEntry () {
  if (process.env.BENCH_MOCK_ENTRY) return resolve(process.env.BENCH_MOCK_ENTRY)
  return join(ROOT, 'dist', existsSync(join(ROOT, 'src', 'cli.ts')) ? 'cli.js' : 'server.js')
}

/** The caller's environment without SNYK_MOCK_* settings: every mock runs with its shipped defaults. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SNYK_MOCK_')))

let mockStarts = 0
async function startMock ({ dbFile, fixturesFile }) {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const since = performance.now()
  const child = startProcess({
    name: 'snyk-mock',
    cmd: process.execPath,
    args: [mockEntry()],
    // shipped defaults: no SNYK_MOCK_* setting from the caller's environment leaks in
    clearEnv: name => name.startsWith('SNYK_MOCK_'),
    env: {
      SNYK_MOCK_PORT: String(port),
      SNYK_MOCK_HOST: HOST,
      SNYK_MOCK_DB: dbFile,
      SNYK_MOCK_FIXTURES: fixturesFile
    },
    cwd: ROOT,
    logFile: join(dirname(dbFile), `server-${++mockStarts}.log`)
  })
  const startupMs = await waitForHttp(`${base}/__admin/health`, { child, since })
  return { child, base, startupMs }
}

/** Newest mtime (ms) of the files a build reads. */
function newestSource () {
  let newest = 0
  const visit = p => {
    const st = statSync(p)
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e))
    else newest = Math.max(newest, st.mtimeMs)
  }
  for (const p of ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    if (existsSync(join(ROOT, p))) visit(join(ROOT, p))
  }
  return newest
}

/**
 * `npm run build` unless dist/ is already newer than every source (e.g. the
 * root `bench` script just built it), BENCH_SKIP_BUILD=1, or BENCH_MOCK_ENTRY.
 */
async function buildMock () {
  if (process.env.BENCH_SKIP_BUILD === '1' || process.env.BENCH_MOCK_ENTRY) return
  const entry = mockEntry()
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource()) {
    log(`  ${entry} is newer than the sources: not rebuilding`)
    return
  }
  log('  npm run build')
  const logFile = join(dir('build'), 'build.log')
  const child = startProcess({ name: 'npm run build', cmd: 'npm', args: ['run', 'build'], cwd: ROOT, logFile })
  const { code, signal, error } = await child.exitPromise
  if (code !== 0) throw new Error(`npm run build failed (code ${code}, signal ${signal}${error ? ', ' + error : ''}):\n${logTail(logFile)}`)
}

/** A GET that must answer 2xx (sanity checks outside the measured runs). */
async function expect2xx (url, headers, what) {
  const res = await request(url, { headers })
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: GET ${url} -> ${res.status} ${res.body.slice(0, 400)}`)
  return res
}

// ------------------------------------------------------------------ groups --

async function benchBaseline () {
  await group('bare', () => withServer(startBare, async ({ base }) => {
    baselines.push(await measure({ label: `bare Fastify GET / (#${baselines.length + 1})`, base, path: '/' }))
  }))
}

const mockPaths = {
  one: n => `/rest/orgs/${ORG_ID}/service_accounts/${middleId(n)}?version=${VERSION}`,
  list: `/rest/orgs/${ORG_ID}/service_accounts?version=${VERSION}&limit=100`,
  create: `/rest/orgs/${ORG_ID}/service_accounts?version=${VERSION}`
}

/** The paths of every page of a list, following `links.next` (relative to /rest) from `first`. */
async function allPages (base, first) {
  const out = []
  for (let path = first; path; ) {
    out.push(path)
    const res = await request(base + path, { headers: AUTH })
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    const next = JSON.parse(res.body).links?.next
    path = next ? `/rest${next}` : undefined
  }
  return out
}

async function benchMock () {
  await group('mock', async () => {
    if (!existsSync(DEFAULT_FIXTURES)) throw new Error(`default fixtures not found: ${DEFAULT_FIXTURES}`)
    await buildMock()
    if (!existsSync(mockEntry())) throw new Error(`mock entry not found: ${mockEntry()}`)

    // Start-up with the default seed: first start seeds the db, then restarts on it.
    {
      const d = dir('mock-default')
      const opts = { dbFile: join(d, 'db.json'), fixturesFile: DEFAULT_FIXTURES }
      const s = { first: null, restarts: [] }
      startup.default = s
      await withServer(() => startMock(opts), async ({ base, startupMs }) => {
        s.first = startupMs
        await expect2xx(base + mockPaths.list, AUTH, 'default seed: list as demo admin').catch(err => notes.push(err.message))
      })
      // each restart right after an import-only start, so the two drift together
      const imp = { restarts: [] }
      startup.importOnly = imp
      for (let i = 0; i < STARTUP_REPEATS; i++) {
        await withServer(startImportOnly, async ({ startupMs }) => { imp.restarts.push(startupMs) })
        await withServer(() => startMock(opts), async ({ startupMs }) => { s.restarts.push(startupMs) })
      }
      log(`  start-up, default seed: first ${ms(s.first)}, restarts ${s.restarts.map(ms).join(', ')}`)
      log(`  start-up, import-only baseline: ${imp.restarts.map(ms).join(', ')}`)
      // the mock's own work at start, its code already loaded (servers/own-work.mjs)
      const own = { restarts: [] }
      startup.ownWork = own
      for (let i = 0; i < STARTUP_REPEATS; i++) {
        const out = execFileSync(process.execPath, [join(BENCH_DIR, 'servers', 'own-work.mjs')], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...cleanEnv(), SNYK_MOCK_DB: join(d, 'db.json'), SNYK_MOCK_FIXTURES: DEFAULT_FIXTURES, SNYK_MOCK_PORT: String(await freePort()), SNYK_MOCK_HOST: HOST }
        })
        own.restarts.push(JSON.parse(out.trim().split('\n').pop()).ms)
      }
      log(`  the mock's own start-up work, in-process: ${own.restarts.map(ms).join(', ')}`)
    }

    for (const n of SIZES) {
      try {
        await benchMockSize(n)
      } catch (err) {
        log(`  FAILED at ${fmtInt(n)} accounts: ${err.message}`)
        failures.push({ group: `mock, ${fmtInt(n)} accounts`, error: err.message })
      }
    }
  })
}

async function benchMockSize (n) {
  const d = dir(`mock-${n}`)
  const fixturesFile = join(d, 'fixtures.json')
  writeMockFixtures(fixturesFile, DEFAULT_FIXTURES, makeAccounts(n))
  const opts = { dbFile: join(d, 'db.json'), fixturesFile }
  const first = await startMock(opts)
  log(`  ${fmtInt(n)} accounts: first start (seeding) ${ms(first.startupMs)}`)
  let srv = first
  try {
    await expect2xx(first.base + mockPaths.one(n), AUTH, `preloaded ${n} accounts`)
    if (n === 100_000) {
      // what users see: a start on an existing db (median of STARTUP_REPEATS)
      const s = { first: first.startupMs, restarts: [] }
      startup.n100k = s
      // restarts use the default fixtures: the db already holds the 100k accounts, and a user with a
      // big db got it from use, not from a 100k-account fixtures file (which reset would return to)
      const restartOpts = { ...opts, fixturesFile: DEFAULT_FIXTURES }
      for (let i = 0; i < STARTUP_REPEATS; i++) {
        await stopProcess(srv.child)
        srv = await startMock(restartOpts)
        s.restarts.push(srv.startupMs)
      }
      log(`  start-up, 100k accounts on existing db: ${s.restarts.map(ms).join(', ')}`)
      for (let i = 0; i < 10; i++) await expect2xx(srv.base + mockPaths.one(n), AUTH, 'GET one at 100k')
      for (let i = 0; i < 3; i++) await expect2xx(srv.base + mockPaths.list, AUTH, 'list at 100k')
      memory.rss100k = rssMiB(srv.child.pid)
      log(`  RSS at 100k after start-up + 13 requests: ${memory.rss100k.toFixed(1)} MiB`)
    }
    const drainPath = '/__admin/health'
    if (n === 10_000) {
      const paths = { Get: mockPaths.one(n), List: mockPaths.list }
      const twin = await startSameBytes(await capture(srv.base, Object.values(paths)), d)
      try {
        // the mock (b) beside its twin (a), both under load at once: the ratio is b's req/s over a's
        const pair = async (key, twinKey, a, b) => {
          const p = await measurePair({ rounds: ROUNDS, a: { base: twin.base, pid: twin.child.pid, headers: AUTH, ...a }, b: { base: srv.base, pid: srv.child.pid, headers: AUTH, drainPath, ...b } })
          results[twinKey] ??= { ...combine(p.a), paired: true }
          results[key] = { ...combine(p.b), ratios: p.ratios, cpu: p.cpu, twinRounds: p.a.map(r => r.rps) }
        }
        for (const [what, path] of Object.entries(paths)) {
          await pair(`mock${what}`, `same${what}`, { label: `same-bytes ${what}`, path }, { label: `snyk-mock ${what}`, path })
        }
        // every page of the 10k in turn: more pages than the mock keeps, so each one is built anew
        const pages = await allPages(srv.base, mockPaths.list)
        log(`  list: ${pages.length} pages of 100 to ask in turn`)
        await pair('mockListEvery', 'sameList', { label: 'same-bytes List', path: paths.List }, { label: 'snyk-mock list, every page in turn', path: pages[0], paths: pages })
      } finally {
        await stopProcess(twin.child)
      }
    }
    results[`mockCreate${n}`] = await measure({
      label: `snyk-mock create (${fmtInt(n)})`,
      base: srv.base,
      path: mockPaths.create,
      method: 'POST',
      headers: { ...AUTH, 'content-type': JSONAPI },
      body: CREATE_BODY,
      drainPath
    })
    if (n === 100_000) {
      memory.rss100kAfterCreate = rssMiB(srv.child.pid)
      memory.hwm100k = rssMiB(srv.child.pid, 'VmHWM')
    }
  } finally {
    await stopProcess(srv.child)
    await stopProcess(first.child)
  }
}

async function benchJsonServer () {
  await group('json-server', async () => {
    for (const n of SIZES) {
      const d = dir(`json-server-${n}`)
      const dbFile = join(d, 'db.json')
      writeJsonServerDb(dbFile, makeAccounts(n))
      await withServer(() => startJsonServer(dbFile), async ({ base, startupMs }) => {
        log(`  ${fmtInt(n)} records: ready in ${ms(startupMs)}`)
        const drainPath = `/service_accounts/${middleId(1)}`
        if (n === 10_000) {
          results.jsGet = await measure({ label: 'json-server GET one (10k)', base, path: `/service_accounts/${middleId(n)}`, drainPath })
        }
        results[`jsPost${n}`] = await measure({
          label: `json-server POST (${fmtInt(n)})`,
          base,
          path: '/service_accounts',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'bench-post-[<id>]', level: 'Org', org_id: ORG_ID, role_id: ROLE_ID, auth_type: 'api_key', created_at: '2025-01-01T00:00:00.000Z' }),
          drainPath
        })
      })
    }
  })
}

async function benchPrism () {
  await group('prism', () => withServer(startPrism, async ({ base, startupMs }) => {
    log(`  ready in ${ms(startupMs)}`)
    const one = `/orgs/${ORG_ID}/service_accounts/${middleId(1)}?version=${VERSION}`
    results.prismGet = await measure({ label: 'Prism GET one', base, path: one, headers: AUTH })
    results.prismPost = await measure({
      label: 'Prism POST create',
      base,
      path: `/orgs/${ORG_ID}/service_accounts?version=${VERSION}`,
      method: 'POST',
      headers: { ...AUTH, 'content-type': JSONAPI },
      body: CREATE_BODY,
      drainPath: one,
      drainHeaders: AUTH
    })
  }))
}

// ------------------------------------------------------------------ report --

const TABLE_PAGE = join(ROOT, 'docs', 'benchmarks.md')
const BEGIN = '<!-- bench:begin (written by npm run bench) -->'
const END = '<!-- bench:end -->'

/** A full run's table goes into docs/benchmarks.md, between its markers (the text around it is the page's own). */
function writeIntoPage (md) {
  const text = readFileSync(TABLE_PAGE, 'utf8')
  const from = text.indexOf(BEGIN)
  const to = text.indexOf(END)
  if (from === -1 || to < from) return `docs/benchmarks.md has no ${BEGIN} … ${END} markers: table not written there`
  writeFileSync(TABLE_PAGE, `${text.slice(0, from + BEGIN.length)}\n${md.trim()}\n${text.slice(to)}`)
  return 'wrote the table into docs/benchmarks.md'
}

function machineLine () {
  const cpus = os.cpus()
  const model = cpus[0]?.model?.trim() ?? 'unknown CPU'
  return `Node ${process.version} · ${model} · ${cpus.length} cores (${os.platform()} ${os.arch()}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, load average at start ${loadAtStart})`
}

/** The targets of the performance issue, each a ratio (or a bound) measured in this run. */
const TARGETS = {
  mockGet: { min: 0.5, text: '≥ 0.50' },
  mockList: { min: 0.5, text: '≥ 0.50' },
  mockCreate10000: { min: 0.3, text: '≥ 0.30' }
}

function render () {
  const baseline = baselines.length ? baselines.reduce((sum, r) => sum + r.rps, 0) / baselines.length : null
  // Each hello-world ratio divides by the mean of the baseline runs just before and just after its
  // group, which cancels most of the drift of a shared machine; a same-bytes ratio is the median of
  // the rounds' ratios of the mock and its twin measured side by side.
  const localBaseline = r => {
    const around = [baselines[r.baseIdx - 1], baselines[r.baseIdx]].filter(Boolean)
    return around.length ? around.reduce((sum, b) => sum + b.rps, 0) / around.length : null
  }
  const ratioOf = r => {
    if (r.paired) return 1
    if (r.ratios) return median(r.ratios)
    return localBaseline(r) ? r.rps / localBaseline(r) : null
  }
  const fmtRatio = x => (x === null ? 'n/a' : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2))
  const fmtP99 = p => (p >= 10 ? fmtInt(p) : p.toFixed(1))
  const flag = r => {
    const f = []
    if (r.non2xx) f.push(`${fmtInt(r.non2xx)} non-2xx`)
    if (r.errors) f.push(`${fmtInt(r.errors)} errors`)
    return f.length ? ` ⚠ ${f.join(', ')}` : ''
  }
  const row = (key, label) => {
    const r = results[key]
    if (!r) return `| ${label} | not run | | | | |`
    const x = ratioOf(r)
    const t = TARGETS[key]
    const target = t ? `${t.text} ${x !== null && x >= t.min ? '✓' : '✗'}` : ''
    const against = r.paired ? 'itself (run beside the mock)' : r.ratios ? 'its same-bytes route, at the same time' : 'bare hello-world'
    return `| ${label}${flag(r)} | ${fmtInt(r.rps)} | ${fmtP99(r.p99)} | ${fmtRatio(x)} | ${against} | ${target} |`
  }

  const lines = []
  lines.push(`Machine: ${machineLine()}`)
  lines.push('')
  lines.push(`Load generator: ${WRK_VERSION} (C), ${THREADS} thread, ${CONNECTIONS} connections, ${DURATION_S} s measured per scenario after a ${WARMUP_S} s warm-up, ` +
    `all on ${HOST}; every server is its own child process with its default settings and its log going to a file; the mock and its same-bytes twin are measured at the same time (${PAIR_WARMUP_S} s warm-up together), in ${ROUNDS} rounds, ` +
    PAIR_PLACEMENT +
    ', their ratio the median of the rounds\' ratios. ' +
    `Versions: fastify ${versionOf('fastify')}, json-server ${versionOf('json-server')}, Prism ${versionOf('@stoplight/prism-cli')}. ` +
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`)
  lines.push('')
  lines.push('| Scenario | req/s | p99 ms | ratio | against | target |')
  lines.push('| --- | ---: | ---: | ---: | --- | --- |')
  if (baselines.length) {
    const p99 = Math.max(...baselines.map(r => r.p99))
    lines.push(`| bare Fastify hello-world \`GET /\` (mean of ${baselines.length} run${baselines.length > 1 ? 's' : ''})${baselines.map(flag).join('')} | ${fmtInt(baseline)} | ${fmtP99(p99)} | 1.00 | itself | |`)
  } else lines.push('| bare Fastify hello-world `GET /` | not run | | | | |')
  lines.push(row('sameGet', 'same-bytes route: GET one account\'s exact response'))
  lines.push(row('mockGet', 'snyk-mock GET one account (10k stored)'))
  lines.push(row('sameList', 'same-bytes route: the list page\'s exact response'))
  lines.push(row('mockList', 'snyk-mock list, `limit=100` (10k stored), the same page again'))
  lines.push(row('mockListEvery', 'snyk-mock list, `limit=100`, its 100 pages in turn (each built anew)'))
  for (const n of SIZES) lines.push(row(`mockCreate${n}`, `snyk-mock durable create, ${fmtInt(n)} stored`))
  lines.push(row('jsGet', 'json-server GET one, 10,000 records'))
  for (const n of SIZES) lines.push(row(`jsPost${n}`, `json-server POST, ${fmtInt(n)} records`))
  lines.push(row('prismGet', 'Prism GET one (static mock)'))
  lines.push(row('prismPost', 'Prism POST create (static mock)'))
  lines.push('')

  lines.push('| snyk-mock start-up and memory | value | target |')
  lines.push('| --- | ---: | --- |')
  const med = s => (s?.restarts.length ? median(s.restarts) : null)
  const st = (label, s, target = '') => {
    if (!s) return lines.push(`| ${label} | not run | |`)
    if (!s.restarts.length) return lines.push(`| ${label} | failed (first start, seeding: ${ms(s.first)}) | |`)
    lines.push(`| ${label} | ${ms(median(s.restarts))} | ${target} |`)
  }
  st('start-up to first 200 on `/__admin/health`, default seed (existing db)', startup.default)
  st('import-only process (the same libraries imported, then a node:http health route)', startup.importOnly)
  if (med(startup.default) !== null && med(startup.importOnly) !== null) {
    // the median of each pair's difference (an import-only start, then the mock's)
    const extra = median(startup.default.restarts.map((t, i) => t - startup.importOnly.restarts[i]))
    lines.push(`| what the mock adds to the import-only start-up (median of ${startup.default.restarts.length} back-to-back pairs) | ${ms(extra)} | ≤ 100 ms ${extra <= 100 ? '✓' : '✗'} |`)
  }
  st('the mock\'s own start-up work, in-process (its code loaded: settings, fixtures, store, routes, listen)', startup.ownWork)
  st('start-up to first 200 on `/__admin/health`, 100,000 accounts (existing db)', startup.n100k)
  const rss = memory.rss100k
  lines.push(`| RSS with 100,000 accounts (after a restart and 13 requests) | ${rss ? rss.toFixed(0) + ' MiB' : 'not measured'} | ${rss ? `≤ 150 MiB ${rss <= 150 ? '✓' : '✗'}` : ''} |`)
  lines.push('')

  const foot = []
  if (baselines.length > 1) {
    const rps = baselines.map(b => b.rps)
    foot.push(`Hello-world runs, one before the first group and one after each group: ${rps.map(fmtInt).join(', ')} req/s ` +
      `(spread ${((Math.max(...rps) / Math.min(...rps) - 1) * 100).toFixed(0)}%).`)
  }
  for (const k of ['mockGet', 'mockList', 'mockListEvery']) {
    const r = results[k]
    if (!r?.ratios) continue
    // requests per CPU second, mock over twin: the same ratio without assuming an even split of the CPU
    const perCpu = r.cpu.map(([twin, mock], i) => (twin && mock ? ((r.rounds[i] / mock) * twin) / r.twinRounds[i] : null))
    const share = r.cpu.map(([twin, mock]) => (twin && mock ? `${Math.round((100 * mock) / (mock + twin))}%` : 'n/a'))
    foot.push(`${r.label} beside its twin, by round: ${r.rounds.map((x, i) => `${fmtInt(x)} / ${fmtInt(r.twinRounds[i])} req/s = ${r.ratios[i].toFixed(2)}`).join('; ')}` +
      ` (the mock's share of the two servers' CPU time: ${share.join(', ')}; per CPU second, mock over twin: ${perCpu.map(x => (x === null ? 'n/a' : x.toFixed(2))).join(', ')}).`)
  }
  for (const [k, label] of [['default', 'default seed'], ['importOnly', 'import-only baseline'], ['ownWork', 'the mock\'s own work in-process'], ['n100k', '100,000 accounts']]) {
    const s = startup[k]
    if (s?.restarts.length) {
      foot.push(`Start-up, ${label}: median of ${s.restarts.length} starts (${s.restarts.map(ms).join(', ')})` +
        (s.first ? `; the first start, which seeds the db from the fixtures, took ${ms(s.first)}.` : '.'))
    }
  }
  if (memory.rss100kAfterCreate) {
    foot.push(`RSS at 100,000 accounts after the create run: ${memory.rss100kAfterCreate.toFixed(0)} MiB (peak VmHWM ${memory.hwm100k.toFixed(0)} MiB).`)
  }
  const slow = Object.values(results).filter(r => r.total < 200)
  if (slow.length) foot.push(`Few samples (p99 is rough): ${slow.map(r => `${r.label} ${fmtInt(r.total)} requests`).join('; ')}.`)
  for (const r of [...baselines, ...Object.values(results)]) {
    if (r.non2xx || r.errors || !(r.preflight.status >= 200 && r.preflight.status < 300)) {
      foot.push(`⚠ ${r.label}: ${r.non2xx} non-2xx, ${r.errors} socket errors (${r.timeouts} timeouts)` +
        (r.preflight.status >= 200 && r.preflight.status < 300 ? '' : `; single probe before the run: ${r.preflight.status} \`${r.preflight.body.replace(/\s+/g, ' ').slice(0, 300)}\``))
    }
  }
  for (const n of notes) foot.push(`Note: ${n}`)
  for (const f of failures) foot.push(`FAILED (${f.group}): ${f.error.split('\n')[0]}`)
  const total = (performance.now() - tStart) / 1000
  foot.push(`Total bench time ${total.toFixed(0)} s; load average at the end ${os.loadavg().map(x => x.toFixed(2)).join(' ')}.`)
  for (const f of foot) lines.push(`- ${f}`)
  return lines.join('\n') + '\n'
}

// -------------------------------------------------------------------- main --

const loadAtStart = os.loadavg().map(x => x.toFixed(2)).join(' ')
const WRK_VERSION = ensureWrk()
log(`snyk-mock bench: ${WRK_VERSION}, ${DURATION_S} s per scenario (+${WARMUP_S} s warm-up), ${CONNECTIONS} connections; temp dir ${tmp}`)

await benchBaseline()
for (const [name, fn] of [['mock', benchMock], ['json-server', benchJsonServer], ['prism', benchPrism]]) {
  if (!enabled(name)) continue
  await fn()
  for (const r of Object.values(results)) r.baseIdx ??= baselines.length
  await benchBaseline()
}

const md = render()
writeFileSync(RESULTS_MD, md)
process.stdout.write('\n' + md)
log(`\nwrote ${RESULTS_MD}`)
if (!process.env.BENCH_ONLY) log(writeIntoPage(md))
for (const f of failures) log(`\nFAILED (${f.group}):\n${f.error}`)
if (failures.length || process.env.BENCH_KEEP_TMP === '1') {
  log(`temp dir kept (dbs, fixtures, server logs): ${tmp}`)
} else {
  rmSync(tmp, { recursive: true, force: true })
}
process.exitCode = failures.length ? 1 : 0
