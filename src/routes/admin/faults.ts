// /__admin/faults: add a fault rule (201 { id }), list them with their `fired` counts, remove one
// or all.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { FaultCreated, FaultList, FaultParams, FaultRule } from '../../schemas/faults.js';
import { errorResponses } from '../../schemas/common.js';

export default async function faultRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/faults', {
    config: { control: 'faults' },
    schema: { body: FaultRule, response: { 201: FaultCreated, ...errorResponses(400, 401) } },
    handler: async (request, reply) => reply.code(201).send(app.faults.add(request.body ?? {})),
  });

  app.get('/faults', {
    schema: { response: { 200: FaultList, ...errorResponses(401) } },
    handler: async () => app.faults.list(),
  });

  app.delete('/faults/:id', {
    config: { control: 'faults' },
    schema: { params: FaultParams, response: { 204: Type.Null(), ...errorResponses(401, 404) } },
    handler: async (request, reply) => {
      app.faults.remove(request.params.id);
      return reply.code(204).send(null);
    },
  });

  app.delete('/faults', {
    config: { control: 'faults' },
    schema: { response: { 204: Type.Null(), ...errorResponses(401) } },
    handler: async (_request, reply) => {
      app.faults.clear();
      return reply.code(204).send(null);
    },
  });
}
