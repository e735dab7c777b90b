// /__admin/switches: the strict / lenient switches of the gates (--version-check, --auth), changed
// at run time.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SwitchesBody, SwitchesState } from '../../schemas/switches.js';
import { errorResponses } from '../../schemas/common.js';

export default async function switchRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const response = { 200: SwitchesState, ...errorResponses(400, 401) };

  app.get('/switches', { schema: { response }, handler: async () => app.switches.state() });
  app.post('/switches', {
    config: { control: 'switches' },
    schema: { body: SwitchesBody, response },
    handler: async (request) => app.switches.set(request.body),
  });
}
