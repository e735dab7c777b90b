// Input from the in-process API checked against the same TypeBox schema its admin route validates
// with (a TypeScript caller is checked by the compiler; a JavaScript one is not).
import './formats.js';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { badRequest } from '../snyk/errors.js';

export function checked<T extends TSchema>(schema: T, value: unknown): Static<T> {
  if (Value.Check(schema, value)) return value;
  const e = Value.Errors(schema, value).First()!;
  const pointer = e.path || '/';
  throw badRequest(`${pointer}: ${e.message}`, { pointer });
}
