// Baseline for the benchmark: a bare Fastify app that replays responses captured from snyk-mock,
// byte for byte (same status, the same headers with a fresh snyk-request-id, the same body), and
// does no other work. The mock's ratio to it is the cost of its /rest pipeline.
//
// Usage: node servers/same-bytes.mjs   (env PORT, HOST, RESPONSES: a JSON file
//        { "<path with query>": { "status": 200, "headers": {…}, "body": "…" } })
import Fastify from 'fastify'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const responses = JSON.parse(readFileSync(process.env.RESPONSES, 'utf8'))

// hop-by-hop and per-response headers: Fastify and Node set these themselves
const OWN = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'])

const app = Fastify()
for (const [url, { status, headers, body }] of Object.entries(responses)) {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !OWN.has(k)))
  const path = url.split('?')[0]
  app.get(path, (request, reply) => {
    reply.code(status).headers(kept).header('snyk-request-id', randomUUID()).send(body)
  })
}
app.get('/__admin/health', (request, reply) => { reply.send({ status: 'ok' }) })

const shutdown = () => app.close().then(() => process.exit(0), () => process.exit(1))
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

await app.listen({ port, host })
console.log(`same-bytes listening on http://${host}:${port}`)
