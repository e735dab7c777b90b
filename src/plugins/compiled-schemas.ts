// Route validators (Ajv) and response serializers (fast-json-stringify), compiled at `npm run build`
// (build/compile-schemas.ts) by the standalone modes of Fastify's own compilers, so a schema that
// does not compile fails the build and a start compiles nothing. Each function is a CommonJS file in
// dist/compiled-schemas/ named after its route and a hash of its schema and compiler options: a
// missing or stale file stops the start with a message naming the route and the fix.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import { COMPILED_DIR, listing, prepareChecks, schemaHash } from '../store/compiled-checks.js';

export { COMPILED_DIR };

/** Request validation: unknown members are errors, not silently dropped; query numbers are coerced. */
const AJV_OPTIONS = {
  customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
} satisfies FastifyServerOptions['ajv'];

/** Response serialisation: the validators of anyOf branches are inlined into the generated code. */
const SERIALIZER_OPTIONS = { inlineValidators: true };

// what the hashes cover, taken now: write mode adds options of its own to the objects it is given
const VALIDATOR_CONTEXT = JSON.stringify(AJV_OPTIONS);
const SERIALIZER_CONTEXT = JSON.stringify(SERIALIZER_OPTIONS);

/** The compiler options of Fastify (fresh copies: the standalone compilers change what they are given). */
export const compilerOptions = (): Pick<FastifyServerOptions, 'ajv' | 'serializerOpts'> =>
  structuredClone({ ajv: AJV_OPTIONS, serializerOpts: SERIALIZER_OPTIONS });

/** What Fastify tells a compiler about the function it wants (its RouteDefinition). */
interface CompiledRoute {
  method: string;
  url: string;
  /** validators: body, querystring, params, headers */
  httpPart?: string;
  /** serializers: the status code */
  httpStatus?: string;
  schema?: unknown;
}

const describe = (r: CompiledRoute) => `${String(r.method)} ${r.url} ${r.httpPart ?? `response ${r.httpStatus}`}`;

/**
 * The file of a route's function: the route, then a hash of all its code is generated from. (The
 * app adds no shared schemas with addSchema; if it ever does, they belong in the hash too.)
 */
function fileName(route: CompiledRoute, context: string): string {
  return `${describe(route).replace(/[^A-Za-z0-9_.-]+/g, '_')}.${schemaHash(route.schema, context)}.cjs`;
}

/** A compiled function that does not match its route's schema: the app cannot start. */
export class StaleSchemaError extends Error {
  override name = 'StaleSchemaError';
}

export interface CompiledSchemas {
  /** Fastify's schemaController option */
  controller: NonNullable<FastifyServerOptions['schemaController']>;
  /** the files written (write mode), or found for the app's routes (read mode) so far */
  readonly files: string[];
  /** read mode: the files loaded so far (a route's functions are loaded on its first use) */
  readonly loaded: Set<string>;
  /**
   * The store's compiled checks (compiled-checks.ts), before the store opens: read mode makes sure
   * each has its file (or stops the start), write mode writes them. Returns their files.
   */
  prepareChecks(): string[];
}

/** What Fastify calls: an Ajv validator (which reports through its `errors` member) or a serializer. */
type Compiled = ((data: unknown, ...rest: unknown[]) => unknown) & { errors?: unknown };

/**
 * The compilers of an app: `read` takes each route's function from `dir` (what a server does),
 * `write` compiles it and writes it there (what `npm run build` does; `dir` must exist).
 * Read mode checks at start that every route has its file, and loads a file on its route's first use.
 */
export function compiledSchemas(mode: 'read' | 'write', dir: string = COMPILED_DIR): CompiledSchemas {
  const files: string[] = [];
  const loaded = new Set<string>();
  const require = createRequire(import.meta.url);
  let present: Set<string> | undefined;
  const load = (what: string, route: CompiledRoute, context: string): Compiled => {
    const name = fileName(route, context);
    const path = join(dir, name);
    present ??= listing(dir);
    if (!present.has(name)) {
      throw new StaleSchemaError(
        `no compiled ${what} for ${describe(route)} matches its schema (${path} is missing): the schema changed since the last build, or the build did not run. Run \`npm run build\`.`,
      );
    }
    files.push(path);
    let real: Compiled | undefined;
    const fn: Compiled = function (this: unknown, ...args: unknown[]) {
      if (real === undefined) {
        real = require(path) as Compiled;
        loaded.add(path);
      }
      const result = real.apply(this, args as [unknown]);
      // an Ajv validator says why it failed on itself: Fastify reads it from the function it holds
      fn.errors = real.errors;
      return result;
    };
    return fn;
  };
  const save = (route: CompiledRoute, context: string, code: string) => {
    const path = join(dir, fileName(route, context));
    writeFileSync(path, code);
    files.push(path);
  };
  if (mode === 'read') {
    // what the standalone compilers do in read mode (a function per route, from restoreFunction),
    // without loading them: they bring Ajv and fast-json-stringify, which only the build step needs
    const buildValidator = () => (route: CompiledRoute) => load('validator', route, VALIDATOR_CONTEXT);
    const buildSerializer = () => (route: CompiledRoute) => load('serializer', route, SERIALIZER_CONTEXT);
    // (Fastify's types describe Ajv's own function objects; the generated code is plain functions,
    // and the wrapper passes calls and `errors` through)
    const prepare = () => {
      const { files: found, missing } = prepareChecks('read', dir, (present ??= listing(dir)));
      if (missing.length > 0)
        throw new StaleSchemaError(
          `no compiled check matches its schema for ${missing.join(', ')}: the schema changed since the last build, or the build did not run. Run \`npm run build\`.`,
        );
      files.push(...found);
      return found;
    };
    return { controller: { compilersFactory: { buildValidator, buildSerializer } } as never, files, loaded, prepareChecks: prepare };
  }
  const { StandaloneValidator } = require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler');
  const { StandaloneSerializer } = require('@fastify/fast-json-stringify-compiler') as typeof import('@fastify/fast-json-stringify-compiler');
  const buildValidator = StandaloneValidator({ readMode: false, storeFunction: (route, code) => save(route, VALIDATOR_CONTEXT, code) });
  const buildSerializer = StandaloneSerializer({ readMode: false, storeFunction: (route, code) => save(route, SERIALIZER_CONTEXT, code) });
  const prepare = () => {
    const { files: written } = prepareChecks('write', dir);
    files.push(...written);
    return written;
  };
  return { controller: { compilersFactory: { buildValidator, buildSerializer } }, files, loaded, prepareChecks: prepare };
}
