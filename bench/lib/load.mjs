// Load generation with autocannon, run in this (parent) process.
//
// Why in-process rather than the autocannon CLI as a child: every server under
// test is already its own child process, and while a measurement runs this
// process does nothing but drive autocannon (no polling, no file work), so the
// driver does not share an event loop with any server. A child CLI would cost
// the same CPU (on this 2-core box the driver takes most of one core either
// way -- that is why we report ratios to a baseline measured under the same
// conditions) and would only add start-up time and text parsing, whereas the
// API hands us latency percentiles, non-2xx counts and status-code stats.
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { HOST, request } from './proc.mjs'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon')
export const AUTOCANNON_VERSION = require('autocannon/package.json').version

export const CONNECTIONS = 50
export const WARMUP_S = 1
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 5)
if (!(DURATION_S > 0)) throw new Error(`BENCH_DURATION must be a positive number of seconds, got ${process.env.BENCH_DURATION}`)
// Generous so that slow servers (json-server rewriting 100k records per POST)
// produce latencies, not timeouts: a request can wait at most ~DURATION_S for
// its answer inside the measured window anyway.
const TIMEOUT_S = Math.max(30, DURATION_S * 3)

function runAutocannon (opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)))
  })
}

const uniq = body => body?.replaceAll('[<id>]', `probe-${randomUUID()}`)

async function sample (url, { method, headers, body }) {
  try {
    const res = await request(url, { method, headers, body: uniq(body) })
    return { status: res.status, body: res.body.slice(0, 400) }
  } catch (err) {
    return { status: 'error', body: err.message }
  }
}

/**
 * Diagnostic only, after a run that saw non-2xx answers (not counted): the
 * same load for 1 s, collecting the distinct non-2xx status + body pairs, so
 * the report can say what the server answered (bodies are only read here,
 * never during measured runs, where it would cost the driver CPU).
 */
async function captureNon2xx ({ url, method, headers, body, ...common }) {
  const seen = new Map()
  const onResponse = (status, resBody) => {
    if (status >= 200 && status < 300) return
    const key = `${status} ${String(resBody).replace(/\s+/g, ' ').slice(0, 300)}`
    if (seen.has(key)) seen.get(key).count++
    else if (seen.size < 5) seen.set(key, { status, body: String(resBody).slice(0, 400), count: 1 })
  }
  try {
    const r = await runAutocannon({ ...common, url, duration: 1, requests: [{ method, headers, body, onResponse }] })
    return { statusCodeStats: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])), errors: r.errors, samples: [...seen.values()] }
  } catch (err) {
    return { error: err.message, samples: [...seen.values()] }
  }
}

/**
 * Wait until the server has worked through requests queued by a previous run
 * (autocannon stops sending at the end of a run, but up to CONNECTIONS
 * requests may still be in the server's queue; for json-server at 100k
 * records each POST costs hundreds of ms). A cheap GET answered = queue empty.
 */
async function drain (drainUrl, headers) {
  const t0 = performance.now()
  try {
    await request(drainUrl, { headers, timeoutMs: 180000 })
  } catch (err) {
    return { ms: performance.now() - t0, error: err.message }
  }
  return { ms: performance.now() - t0 }
}

/**
 * Measure one scenario: probe request, 1 s warm-up (discarded), drain,
 * DURATION_S measured run at CONNECTIONS connections, drain.
 * `body` may contain "[<id>]", replaced by a unique id per request.
 */
export async function measure ({ label, base, path, method = 'GET', headers = {}, body, drainPath = path, drainHeaders = headers }) {
  const url = base + path
  if (new URL(url).hostname !== HOST) throw new Error(`refusing non-loopback target ${url}`)
  const drainUrl = base + drainPath
  const idReplacement = typeof body === 'string' && body.includes('[<id>]')
  const common = { url, method, headers, body, idReplacement, connections: CONNECTIONS, pipelining: 1, timeout: TIMEOUT_S }

  const preflight = await sample(url, { method, headers, body })
  process.stderr.write(`  ${label}: probe ${preflight.status}; warm-up ${WARMUP_S}s`)
  await runAutocannon({ ...common, duration: WARMUP_S })
  const d1 = await drain(drainUrl, drainHeaders)
  process.stderr.write(` (drained in ${Math.round(d1.ms)} ms); measuring ${DURATION_S}s`)
  const r = await runAutocannon({ ...common, duration: DURATION_S })
  const d2 = await drain(drainUrl, drainHeaders)
  const result = {
    label,
    method,
    path,
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodeStats: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
    preflight,
    drainMs: [Math.round(d1.ms), Math.round(d2.ms)]
  }
  if (d1.error || d2.error) result.drainError = d1.error ?? d2.error
  if (result.non2xx > 0 || result.errors > 0 || !(preflight.status >= 200 && preflight.status < 300)) {
    result.seen = await captureNon2xx(common)
    await drain(drainUrl, drainHeaders)
  }
  process.stderr.write(` -> ${Math.round(result.rps)} req/s, p99 ${result.p99} ms` +
    (result.non2xx ? `, ${result.non2xx} non-2xx ${JSON.stringify(result.statusCodeStats)}` : '') +
    (result.errors ? `, ${result.errors} errors (${result.timeouts} timeouts)` : '') + '\n')
  return result
}
