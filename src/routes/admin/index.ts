// /__admin: routes for operators and test suites, outside Snyk's gates.
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';

export default async function adminRoutes(app: FastifyInstance) {
  app.get('/health', {
    schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });
}
