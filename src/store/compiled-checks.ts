// TypeBox checks of what the store reads (the data file, change-log records), compiled at
// `npm run build` (TypeCompiler.Code) into dist/compiled-schemas/, named after the check and a hash
// of its schema, and loaded on first use, so a server never loads TypeBox's compiler. A check whose
// file is missing or stale stops the start (prepareChecks), naming the fix.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { Value, type ValueErrorIterator } from '@sinclair/typebox/value';
import { packagePath } from '../settings/package-paths.js';

/** A compiled check, as TypeBox's TypeCheck offers it (the part the store uses). */
export interface CompiledCheck {
  Check(value: unknown): boolean;
  /** why `value` fails (taken on the error path only, by TypeBox's own interpreter) */
  Errors(value: unknown): ValueErrorIterator;
}

/** The function TypeCompiler.Code's text evaluates to, given the registries it looks things up in. */
type Factory = (kind: unknown, format: (name: string, value: string) => boolean, hash: (value: unknown) => bigint) => (value: unknown) => boolean;

const declared = new Map<string, { schema: TSchema; file: string }>();
/** Where `npm run build` writes compiled functions: dist/ beside src/ and dist/ alike. */
export const COMPILED_DIR = packagePath('dist/compiled-schemas/');

/** where the files are read from: the build's, unless prepareChecks named another folder */
let checksDir = COMPILED_DIR;

const format = (name: string, value: string) => FormatRegistry.Has(name) && FormatRegistry.Get(name)!(value);
// the store's schemas use no custom kinds (the build step refuses code that asks for one)
const noKind = () => false;

/**
 * The hash naming a compiled function's file: of its schema and what else its code is generated
 * from (`context`: compiler options). Memoised per schema object: routes share schemas.
 */
const hashes = new WeakMap<object, Map<string, string>>();
export function schemaHash(schema: unknown, context = ''): string {
  const compute = () => createHash('sha256').update(JSON.stringify(schema)).update('\0').update(context).digest('hex').slice(0, 16);
  if (schema === null || typeof schema !== 'object') return compute();
  let byContext = hashes.get(schema);
  if (!byContext) hashes.set(schema, (byContext = new Map()));
  let hash = byContext.get(context);
  if (hash === undefined) byContext.set(context, (hash = compute()));
  return hash;
}

const fileOf = (name: string, schema: TSchema) => `check_${name}.${schemaHash(schema)}.cjs`;

/** The check of `schema`, known as `name`: declared when its module loads, compiled by the build. */
export function compiledCheck(name: string, schema: TSchema): CompiledCheck {
  const file = fileOf(name, schema);
  declared.set(name, { schema, file });
  let check: ((value: unknown) => boolean) | undefined;
  return {
    Check(value) {
      if (check === undefined) {
        check = (createRequire(import.meta.url)(join(checksDir, file)) as Factory)(noKind, format, Value.Hash);
      }
      return check(value);
    },
    Errors: (value) => Value.Errors(schema, value),
  };
}

/** The names of the files in `dir` (none when it does not exist): one listing instead of a stat per file. */
export const listing = (dir: string): Set<string> => new Set(existsSync(dir) ? readdirSync(dir) : []);

/**
 * Read mode: which declared checks have no file in `dir` (the caller stops the start, naming them;
 * `present` is the folder's listing, when the caller has it); checks are read from there from now
 * on. Write mode (the build step): the files are written.
 */
export function prepareChecks(mode: 'read' | 'write', dir: string, present: Set<string> = listing(dir)): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  if (mode === 'write') {
    // the compiler is needed only here, so a server never loads it
    const { TypeCompiler } = createRequire(import.meta.url)('@sinclair/typebox/compiler') as typeof import('@sinclair/typebox/compiler');
    for (const [name, { schema, file }] of declared) {
      const code = TypeCompiler.Code(schema, { language: 'javascript' });
      if (/\bkind\(/.test(code)) throw new Error(`the check ${name} needs a custom TypeBox kind, which compiled checks do not support`);
      writeFileSync(join(dir, file), `"use strict";\nmodule.exports = function (kind, format, hash) {\n${code}\n};\n`);
      files.push(join(dir, file));
    }
  } else {
    for (const [name, { file }] of declared) {
      if (present.has(file)) files.push(join(dir, file));
      else missing.push(`${name} (${join(dir, file)})`);
    }
  }
  checksDir = dir;
  return { files, missing };
}
