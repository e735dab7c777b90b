// Load generation with wrk (Debian's package `wrk`), a C load generator run as a child process.
//
// Why wrk and not autocannon: autocannon is JavaScript and needs most of a core of its own, so on
// a 2-core machine the client, not the server, was often the bottleneck, and the ratios said little
// about the server. wrk drives 50 connections from one thread at a fraction of that cost.
// A Lua script per scenario sets the method, headers and body (a unique body per request where the
// server needs unique names) and prints the summary as one JSON line, so nothing is scraped from
// wrk's human-readable report.
import { execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { HOST, request } from './proc.mjs'

export const CONNECTIONS = 50
export const THREADS = 1
export const WARMUP_S = 1
/** a pair's warm-up, together: long enough for a fresh server's first round to be warm, not cold */
export const PAIR_WARMUP_S = 5
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 5)
if (!(DURATION_S > 0)) throw new Error(`BENCH_DURATION must be a positive number of seconds, got ${process.env.BENCH_DURATION}`)
// generous, so that slow servers (json-server rewriting 100k records per POST) produce latencies
const TIMEOUT_S = Math.max(30, DURATION_S * 3)

/** wrk's version line, installing Debian's package first when it is missing and we are root. */
export function ensureWrk () {
  const version = () => {
    try {
      // `wrk -v` prints its version and exits 1
      return execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (err) {
      if (err.code === 'ENOENT') return null
      return String(err.stdout ?? '') + String(err.stderr ?? '')
    }
  }
  let out = version()
  if (out === null) {
    if (process.getuid?.() !== 0) throw new Error('wrk is not installed: apt-get install wrk (Debian package), then run the bench again')
    process.stderr.write('  wrk not found: apt-get install -y wrk\n')
    execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk'], { stdio: 'inherit' })
    out = version()
    if (out === null) throw new Error('apt-get install wrk did not provide a wrk command')
  }
  return (out.match(/wrk [^\s]+/) ?? ['wrk'])[0]
}

const luaString = s => `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`

/**
 * The Lua script of one scenario. `[<id>]` in the body becomes a unique id per request
 * (a per-run random prefix and a counter), as the mock refuses a duplicate name.
 */
function luaScript ({ method, headers, body, paths }) {
  const lines = [`wrk.method = ${luaString(method)}`]
  for (const [k, v] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(k)}] = ${luaString(v)}`)
  if (paths) {
    // each request the next path of the list, round and round
    lines.push(
      `local paths = {${paths.map(luaString).join(', ')}}`,
      'local i = 0',
      'request = function()',
      '  i = i % #paths + 1',
      '  return wrk.format(nil, paths[i])',
      'end'
    )
  } else if (body !== undefined && body.includes('[<id>]')) {
    const [before, after] = body.split('[<id>]')
    lines.push(
      `local prefix = ${luaString(randomUUID().slice(0, 8))}`,
      'local n = 0',
      'request = function()',
      '  n = n + 1',
      `  return wrk.format(nil, nil, nil, ${luaString(before)} .. prefix .. "-" .. n .. ${luaString(after)})`,
      'end'
    )
  } else if (body !== undefined) {
    lines.push(`wrk.body = ${luaString(body)}`)
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'\\nWRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))',
    'end'
  )
  return lines.join('\n') + '\n'
}

const scriptDir = mkdtempSync(join(os.tmpdir(), 'snyk-mock-wrk-'))
process.on('exit', () => rmSync(scriptDir, { recursive: true, force: true }))
let scripts = 0

/** One wrk run; `cpus` (a taskset list) pins it. */
function runWrk (url, scenario, durationS, cpus) {
  const script = join(scriptDir, `s${++scripts}.lua`)
  writeFileSync(script, luaScript(scenario))
  const args = ['-t', String(THREADS), '-c', String(CONNECTIONS), '-d', `${durationS}s`, '--timeout', `${TIMEOUT_S}s`, '-s', script, url]
  return new Promise((resolve, reject) => {
    const [cmd, argv] = cpus ? ['taskset', ['-c', cpus, 'wrk', ...args]] : ['wrk', args]
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => { out += c })
    child.stderr.on('data', c => { out += c })
    child.on('error', reject)
    // 'close', not 'exit': the output may still be on its way when the process has exited
    child.on('close', code => {
      const m = out.match(/WRK_JSON (\{.*\})/)
      if (code !== 0 || !m) return reject(new Error(`wrk exited ${code}: ${out.slice(-500)}`))
      resolve(JSON.parse(m[1]))
    })
  })
}

async function sample (url, { method, headers, body }) {
  try {
    const res = await request(url, { method, headers, body: body?.replaceAll('[<id>]', `probe-${randomUUID()}`) })
    return { status: res.status, body: res.body.slice(0, 400) }
  } catch (err) {
    return { status: 'error', body: err.message }
  }
}

/**
 * Waits until the server has worked through requests queued by a previous run: wrk stops sending
 * at the end of a run, but up to CONNECTIONS requests may still be queued (json-server's POSTs at
 * 100k records take hundreds of ms each). A cheap GET answered means the queue is empty.
 */
async function drain (drainUrl, headers) {
  try {
    await request(drainUrl, { headers, timeoutMs: 180000 })
  } catch {}
}

/**
 * One scenario: a probe request, WARMUP_S of warm-up (discarded), DURATION_S measured.
 * `body` may contain "[<id>]", replaced by a unique id per request; `paths` (instead of one
 * `path`, which is then the probe's) are asked in turn.
 */
export async function measure ({ label, base, path, paths, method = 'GET', headers = {}, body, drainPath = path, drainHeaders = headers }) {
  const url = base + path
  if (new URL(url).hostname !== HOST) throw new Error(`refusing non-loopback target ${url}`)
  const scenario = { method, headers, body, paths }
  const preflight = await sample(url, scenario)
  process.stderr.write(`  ${label}: probe ${preflight.status}; warm-up ${WARMUP_S}s`)
  await runWrk(url, scenario, WARMUP_S)
  await drain(base + drainPath, drainHeaders)
  process.stderr.write(`; measuring ${DURATION_S}s`)
  const r = await runWrk(url, scenario, DURATION_S)
  await drain(base + drainPath, drainHeaders)
  const result = toResult({ label, method, path, preflight }, r)
  process.stderr.write(` -> ${describe(result)}\n`)
  return result
}

/** A measured run (wrk's summary `r`) as the bench's result row. */
function toResult ({ label, method, path, preflight }, r) {
  return {
    label,
    method,
    path,
    rps: r.requests / (r.duration_us / 1e6),
    total: r.requests,
    p50: r.p50_us / 1000,
    p99: r.p99_us / 1000,
    non2xx: r.status,
    errors: r.connect + r.read + r.write + r.timeout,
    timeouts: r.timeout,
    preflight
  }
}

const describe = r => `${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(1)} ms` +
  (r.non2xx ? `, ${r.non2xx} non-2xx/3xx` : '') + (r.errors ? `, ${r.errors} socket errors` : '')

/** The CPUs this process may run on (Linux: Cpus_allowed_list, e.g. "0-1" or "2,5"), or null. */
function allowedCpus () {
  try {
    const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    if (!list) return null
    const cpus = list.split(',').flatMap(part => {
      const [from, to = from] = part.split('-').map(Number)
      return Array.from({ length: to - from + 1 }, (_, i) => from + i)
    })
    return { list, cpus }
  } catch {
    return null
  }
}

/** Every thread of process `pid` on `cpus` (a taskset list). */
const pin = (pid, cpus) => execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' })

/**
 * Where a pair runs: both servers on the first CPU this process may use and both clients on the
 * second (taskset), so a slower or busier machine slows both alike; `all` is what they get back
 * afterwards (the servers' affinity as inherited). null (no pinning) with fewer than two CPUs, or
 * where taskset cannot pin (not Linux, not installed, a cpuset that refuses it).
 */
const PAIR_CPUS = (() => {
  const allowed = allowedCpus()
  if (!allowed || allowed.cpus.length < 2) return null
  const [servers, clients] = allowed.cpus.map(String)
  try {
    // a trial on this process: the same call the pair makes, undone at once
    pin(process.pid, servers)
    pin(process.pid, allowed.list)
    return { servers, clients, all: allowed.list }
  } catch {
    return null
  }
})()

/** Where a pair's processes run, in words (the log and the table's header say the same). */
export const PAIR_PLACEMENT = PAIR_CPUS
  ? `both servers pinned to CPU ${PAIR_CPUS.servers} and both clients to CPU ${PAIR_CPUS.clients} (taskset)`
  : 'not pinned (fewer than two CPUs, or taskset cannot pin here)'

/** CPU time (user + system, all threads) of process `pid` so far, in clock ticks; null without /proc. */
function cpuTicks (pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return null
  }
}

/**
 * Two servers measured at the same time (`a` the reference, `b` the one compared with it): a probe
 * each, PAIR_WARMUP_S of warm-up together, then `rounds` runs of DURATION_S with both clients at once,
 * the servers pinned to one CPU and the clients to the other (PAIR_CPUS). Each side is
 * { label, base, pid, path, paths?, headers? }. Returns each side's rounds and, per round, b's req/s
 * over a's (`ratios`) and each server's CPU time in ticks (`cpu`: [a, b], null without /proc).
 */
export async function measurePair ({ rounds, a, b }) {
  const sides = [a, b].map(s => {
    const url = s.base + s.path
    if (new URL(url).hostname !== HOST) throw new Error(`refusing non-loopback target ${url}`)
    return { ...s, method: 'GET', url, scenario: { method: 'GET', headers: s.headers ?? {}, paths: s.paths }, drainUrl: s.base + (s.drainPath ?? s.path) }
  })
  for (const s of sides) s.preflight = await sample(s.url, s.scenario)
  const clients = PAIR_CPUS?.clients
  process.stderr.write(`  ${a.label} beside ${b.label}: probes ${sides.map(s => s.preflight.status).join(', ')}; ` +
    `${PAIR_PLACEMENT}; warm-up ${PAIR_WARMUP_S}s\n`)
  try {
    if (PAIR_CPUS) for (const s of sides) pin(s.pid, PAIR_CPUS.servers)
    await Promise.all(sides.map(s => runWrk(s.url, s.scenario, PAIR_WARMUP_S, clients)))
    await Promise.all(sides.map(s => drain(s.drainUrl, s.scenario.headers)))
    const out = { a: [], b: [], ratios: [], cpu: [] }
    for (let i = 1; i <= rounds; i++) {
      const before = sides.map(s => cpuTicks(s.pid))
      // the client started first alternates, so neither side always gets the head start
      const order = i % 2 ? [0, 1] : [1, 0]
      const runs = []
      for (const k of order) runs[k] = runWrk(sides[k].url, sides[k].scenario, DURATION_S, clients)
      const [ra, rb] = await Promise.all(runs)
      const cpu = sides.map((s, k) => (before[k] === null ? null : cpuTicks(s.pid) - before[k]))
      await Promise.all(sides.map(s => drain(s.drainUrl, s.scenario.headers)))
      const [x, y] = [toResult({ ...sides[0], label: `${a.label} (round ${i})` }, ra), toResult({ ...sides[1], label: `${b.label} (round ${i})` }, rb)]
      out.a.push(x)
      out.b.push(y)
      out.ratios.push(y.rps / x.rps)
      out.cpu.push(cpu)
      process.stderr.write(`    round ${i}: ${a.label} ${describe(x)}; ${b.label} ${describe(y)}; ratio ${(y.rps / x.rps).toFixed(3)}; CPU ticks ${cpu.join(' / ')}\n`)
    }
    return out
  } finally {
    if (PAIR_CPUS) {
      for (const s of sides) {
        try {
          pin(s.pid, PAIR_CPUS.all)
        } catch {}
      }
    }
  }
}
