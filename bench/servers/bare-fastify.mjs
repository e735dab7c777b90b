// Baseline for the benchmark: the smallest possible Fastify 5 app.
// GET / -> {"hello":"world"}. Fastify's defaults (no logger), like the
// "hello world" in Fastify's own benchmarks.
//
// Usage: node servers/bare-fastify.mjs   (env PORT, HOST; HOST must be loopback)
import Fastify from 'fastify'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

const app = Fastify()
app.get('/', async () => ({ hello: 'world' }))

const shutdown = () => app.close().then(() => process.exit(0), () => process.exit(1))
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)

await app.listen({ port, host })
console.log(`bare-fastify listening on http://${host}:${port}`)
