// Child-process bookkeeping for the bench: every server is spawned through
// startProcess(), tracked, and killed on exit, on Ctrl-C and on crashes.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

export const HOST = '127.0.0.1' // the only address the bench ever talks to

const children = new Set()

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export function freePort () {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Spawn a server. stdout and stderr go to logFile (never to our terminal, so
 * servers log exactly as they would by default, at the cost of a file write).
 * detached: the child leads its own process group, so we can kill the whole
 * group (a server that forks helpers dies with them).
 */
export function startProcess ({ name, cmd, args = [], env = {}, clearEnv = () => false, cwd, logFile }) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !clearEnv(k)))
  const fd = openSync(logFile, 'a')
  let child
  try {
    child = spawn(cmd, args, {
      cwd,
      env: { ...inherited, ...env },
      stdio: ['ignore', fd, fd],
      detached: true
    })
  } finally {
    closeSync(fd)
  }
  child.benchName = name
  child.logFile = logFile
  child.exited = null
  child.exitPromise = new Promise(resolve => {
    child.once('exit', (code, signal) => {
      child.exited = { code, signal }
      children.delete(child)
      resolve(child.exited)
    })
    child.once('error', err => {
      child.exited = { code: null, signal: null, error: err.message }
      children.delete(child)
      resolve(child.exited)
    })
  })
  children.add(child)
  return child
}

// one signal: the group includes its leader (a second SIGTERM is a server's "stop now, unfinished")
function killGroup (child, signal) {
  try { process.kill(-child.pid, signal) } catch { try { child.kill(signal) } catch {} }
}

/** SIGTERM, then SIGKILL after graceMs. Resolves once the process is gone. */
export async function stopProcess (child, graceMs = 5000) {
  if (!child || child.exited) return
  killGroup(child, 'SIGTERM')
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs)
  await child.exitPromise
  clearTimeout(timer)
  // the group leader is gone; make sure nothing it forked survives it
  try { process.kill(-child.pid, 'SIGKILL') } catch {}
}

export function killAllSync () {
  for (const child of children) killGroup(child, 'SIGKILL')
  children.clear()
}

export function installCleanupHandlers (onSignal = () => {}) {
  process.on('exit', killAllSync)
  for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => {
      console.error(`\n${sig}: killing ${children.size} server process(es)`)
      onSignal()
      killAllSync()
      process.exit(128 + n)
    })
  }
  process.on('uncaughtException', err => {
    console.error(err)
    killAllSync()
    process.exit(1)
  })
  process.on('unhandledRejection', err => {
    console.error(err)
    killAllSync()
    process.exit(1)
  })
}

export function logTail (file, bytes = 1500) {
  try {
    if (!existsSync(file)) return ''
    const size = statSync(file).size
    const text = readFileSync(file, 'utf8')
    return (size > bytes ? '…' : '') + text.slice(-bytes)
  } catch { return '' }
}

/** One HTTP request over a fresh connection. Resolves {status, body, headers}. */
export function request (url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    if (u.hostname !== HOST) return reject(new Error(`refusing non-loopback target ${u.hostname}`))
    const payload = body === undefined ? undefined : Buffer.from(body)
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      method,
      agent: false,
      headers: payload ? { ...headers, 'content-length': payload.length } : headers,
      timeout: timeoutMs
    }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(payload)
  })
}

/**
 * Poll url until it answers with a status accepted by `ok` (default: 200).
 * Returns ms since `since` (a performance.now() value). Fails fast if the
 * child exits, and after timeoutMs.
 */
export async function waitForHttp (url, { child, since = performance.now(), headers = {}, ok = s => s === 200, timeoutMs = 120000, intervalMs = 5 } = {}) {
  let last = 'no answer'
  while (performance.now() - since < timeoutMs) {
    if (child?.exited) {
      throw new Error(`${child.benchName} exited (${JSON.stringify(child.exited)}) before ${url} answered; log tail:\n${logTail(child.logFile)}`)
    }
    try {
      const res = await request(url, { headers, timeoutMs: Math.max(1000, timeoutMs - (performance.now() - since)) })
      if (ok(res.status)) return performance.now() - since
      last = `${res.status} ${res.body.slice(0, 300)}`
    } catch (err) {
      last = err.code ?? err.message
    }
    await sleep(intervalMs)
  }
  throw new Error(`${url} did not answer as expected within ${timeoutMs} ms (last: ${last})`)
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (Linux). */
export function rssMiB (pid, field = 'VmRSS') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(m[1]) / 1024
}
