// Hooks that only some routes need, added to those routes when they are declared (onRoute) rather
// than as instance-wide hooks that ask every request whether they apply. Quiet routes are one such.
import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify';

type RouteHookName = 'onRequest' | 'preParsing';

/**
 * Appends `hook` to the route's own `name` hooks. A route's own hooks run after those of the
 * instances it is registered in, so an appended gate comes after the instance-wide gates.
 */
export function addRouteHook<N extends RouteHookName>(
  route: RouteOptions,
  name: N,
  hook: NonNullable<RouteOptions[N]> extends infer H ? (H extends readonly (infer F)[] ? F : H) : never,
): void {
  const existing = route[name] as unknown;
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as Record<RouteHookName, unknown>)[name] = [...list, hook];
}

const markQuiet: onRequestHookHandler = (request, _reply, done) => {
  request.quiet = true;
  done();
};

/** The requests of routes declared `config: { quiet: true }` are marked so as they arrive (request.quiet), for their request line. */
export function quietRoutes(app: FastifyInstance): void {
  app.decorateRequest('quiet', false);
  app.addHook('onRoute', (route) => {
    if (route.config?.quiet) addRouteHook(route, 'onRequest', markQuiet);
  });
}
