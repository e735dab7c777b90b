// /__admin/clock: the server clock. POST { now } sets and freezes it, { advance } moves it forward;
// DELETE returns to real time. Every answer is { now, frozen }.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ClockBody, ClockState } from '../../schemas/clock.js';
import { errorResponses } from '../../schemas/common.js';

export default async function clockRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const response = { 200: ClockState, ...errorResponses(400, 401) };

  app.get('/clock', { schema: { response }, handler: async () => app.clock.state() });
  app.post('/clock', { config: { control: 'clock' }, schema: { body: ClockBody, response }, handler: async (request) => app.clock.change(request.body) });
  app.delete('/clock', { config: { control: 'clock' }, schema: { response }, handler: async () => app.clock.real() });
}
