#!/usr/bin/env node
// Start-up of two builds of snyk-mock on the same data file of N accounts (default 100,000): time
// from spawn to the first 200 on /__admin/health, and VmRSS / VmHWM right after it. The builds
// start one at a time, alternating which goes first in each round; prints each round and the
// medians and median ratios (branch/main). MAIN=BR gives the noise floor.
//
//   MAIN=/tmp/before BR=. ROUNDS=6 node bench/compare/startup.mjs
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { makeAccounts, writeMockFixtures } from '../lib/data.mjs'

const MAIN = resolve(process.env.MAIN ?? '')
const BR = resolve(process.env.BR ?? '.')
const ROUNDS = Number(process.env.ROUNDS ?? 6)
const N = Number(process.env.N ?? 100_000)
if (!process.env.MAIN) throw new Error('MAIN: the directory of the build to compare against')
const tmp = mkdtempSync(join(tmpdir(), 'startup-'))
const PORT = 18491

const status = pid => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = k => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)[1]) / 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

async function start (dir, db, fixtures) {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(PORT), '--host', '127.0.0.1', '--db', db, '--fixtures', fixtures, '--log-format', 'json'], { cwd: dir, stdio: 'ignore' })
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${dir}: exited ${child.exitCode}`)
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/__admin/health`)
      if (res.status === 200) break
    } catch {}
    await new Promise(r => setTimeout(r, 5))
  }
  const ms = performance.now() - t0
  const mem = status(child.pid)
  child.kill()
  await new Promise(r => child.once('exit', r))
  return { ms, ...mem }
}

try {
  const fixtures = join(tmp, 'fixtures.json')
  writeMockFixtures(fixtures, join(MAIN, 'fixtures', 'default.json'), makeAccounts(N))
  // one data file, seeded once; each start reads a fresh copy of it
  const seeded = join(tmp, 'seeded')
  await start(MAIN, join(seeded, 'db.json'), fixtures)
  const copy = name => { const d = join(tmp, name); rmSync(d, { recursive: true, force: true }); cpSync(seeded, d, { recursive: true }); return join(d, 'db.json') }
  const rows = []
  for (let r = 1; r <= ROUNDS; r++) {
    const order = r % 2 ? ['main', 'branch'] : ['branch', 'main']
    const row = {}
    for (const who of order) row[who] = await start(who === 'main' ? MAIN : BR, copy(who), fixtures)
    rows.push(row)
    const f = x => `${x.ms.toFixed(0)} ms ${x.rss.toFixed(0)} MiB (peak ${x.hwm.toFixed(0)})`
    console.log(`round ${r} main ${f(row.main)} branch ${f(row.branch)}`)
  }
  const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
  for (const k of ['ms', 'rss', 'hwm']) {
    const ratios = rows.map(x => x.branch[k] / x.main[k])
    console.log(`${k}: median main ${median(rows.map(x => x.main[k])).toFixed(1)}, branch ${median(rows.map(x => x.branch[k])).toFixed(1)}; median ratio branch/main ${median(ratios).toFixed(3)} (rounds: ${ratios.map(x => x.toFixed(3)).join(' ')})`)
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
