// Start-up baseline: a process that only imports the libraries snyk-mock is built on (fastify,
// typebox, lowdb, pino, jose, Snyk's error catalog) and then answers GET /__admin/health with
// node:http. The mock's start-up minus this one is what the mock itself adds.
//
// Usage: node servers/import-only.mjs   (env PORT, HOST; run with cwd = the repository root)
import http from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

// resolve from the repository root: the mock's own copies of these libraries
const require = createRequire(join(process.cwd(), 'package.json'))
for (const name of ['fastify', '@sinclair/typebox', 'lowdb', 'lowdb/node', 'pino', 'jose', '@snyk/error-catalog-nodejs-public']) {
  await import(pathToFileURL(require.resolve(name)).href)
}

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
server.listen(port, host)
