// Start-up baseline, the other way round: what the mock itself does at start once its code is
// loaded (settings, fixtures, the store opened, every plugin and route registered, listening), timed
// inside one process from dist/ (unbundled) and printed as JSON. The start-up rows time whole
// processes, where loading the code counts too; this row is the mock's own work alone.
//
// Usage: node servers/own-work.mjs   (env SNYK_MOCK_*; run with cwd = the repository root)
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const dist = name => pathToFileURL(join(process.cwd(), 'dist', name)).href
const { parseCli } = await import(dist('settings/args.js'))
const { start } = await import(dist('server.js'))
const parsed = parseCli([], process.env)
const t0 = performance.now()
const { app } = await start(parsed.settings, { logger: false })
const ms = performance.now() - t0
await app.close()
console.log(JSON.stringify({ ms }))
