// JSON that arrives from outside (request bodies, fixtures, a client assertion's header), read the way
// Snyk's Go services read it, with two limits of the mock's own. Plain functions, no Fastify.
// - Lone UTF-16 surrogates (`"\ud800"`) become U+FFFD, as Go's encoding/json decodes them ("invalid
//   surrogate; fall back to replacement rune"): nothing the mock keeps or sends is then text that a
//   strict JSON parser refuses.
// - Nesting is bounded (MAX_JSON_DEPTH): every walker that comes after (validation, cloning, the
//   journal's redaction, serialisation) recurses, and no body of this API is nested past a few levels.
// - A `__proto__` member, or a `constructor` member holding a `prototype` member, is refused: either
//   could change an object's prototype if merged into another object (what Fastify's own JSON parser
//   refuses, secure-json-parse's rule).
// Every walk here is iterative, so none of them can overflow the stack whatever the input.

/** The deepest nesting of arrays and objects accepted; Go's encoding/json stops at 10,000. */
const MAX_JSON_DEPTH = 64;

/** Why a JSON input is refused: a JSON pointer into it and a sentence. */
export class JsonInputError extends Error {
  constructor(
    readonly pointer: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'JsonInputError';
  }
}

/** Details read after "the request body" or "the fixtures document". */
const tooDeep = () => new JsonInputError('', `is nested more than ${MAX_JSON_DEPTH} levels deep (arrays in arrays, objects in objects)`);
const REFUSED = "which is refused: merged into another object it could change that object's prototype. Rename or remove it";

const [QUOTE, BACKSLASH, OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x22, 0x5c, 0x5b, 0x5d, 0x7b, 0x7d];

/**
 * Whether JSON text nests deeper than `max`, read without parsing it: a text of 64 MiB nested all
 * the way down would take gigabytes once parsed. Malformed text is left for JSON.parse to refuse.
 */
function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** A `\uD800`–`\uDFFF` escape somewhere in the text (a cheap test before any walk). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * JSON text → value, as Snyk's Go services decode it: lone surrogates become U+FFFD; refused (a
 * JsonInputError) when nested past MAX_JSON_DEPTH or holding a prototype-changing member.
 * Malformed JSON throws JSON.parse's SyntaxError. `fixed` tells whether any string was changed.
 */
export function parseJsonInput(text: string): { value: unknown; fixed: boolean } {
  if (nestsDeeperThan(text)) throw tooDeep();
  const value: unknown = JSON.parse(text);
  // the walks only when the text can hold what they look for
  if (text.includes('__proto__') || text.includes('constructor')) {
    const problem = prototypeMember(value);
    if (problem) throw problem;
  }
  if (!SURROGATE_ESCAPE.test(text)) return { value, fixed: false };
  if (typeof value === 'string') return { value: wellFormed(value), fixed: wellFormed(value) !== value };
  return { value, fixed: replaceLoneSurrogates(value) };
}

/**
 * The same rules for a value that did not arrive as text (a fixtures document handed to the
 * in-process API): refused when too deep or holding a prototype-changing member. Not changed.
 */
export function checkJsonValue(value: unknown): void {
  // a cycle, too, ends here
  walk(value, (_node, depth) => {
    if (depth > MAX_JSON_DEPTH) throw tooDeep();
  });
  const problem = prototypeMember(value);
  if (problem) throw problem;
}

type Container = unknown[] | Record<string, unknown>;
interface Frame {
  node: Container;
  depth: number;
  parent: Frame | undefined;
  key: string;
}

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null;

/** Visits every array and object of `value`, depth first, without recursion (depth 1: the top level). */
function walk(value: unknown, visit: (node: Container, depth: number, frame: Frame) => void): void {
  if (!isContainer(value)) return;
  const stack: Frame[] = [{ node: value, depth: 1, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    visit(frame.node, frame.depth, frame);
    const node = frame.node as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (isContainer(child)) stack.push({ node: child, depth: frame.depth + 1, parent: frame, key });
    }
  }
}

/** The JSON pointer of a member of `frame`'s node. */
function pointerOf(frame: Frame, key: string): string {
  const parts = [key];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) parts.push(f.key);
  return parts
    .reverse()
    .map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('');
}

function prototypeMember(value: unknown): JsonInputError | undefined {
  let found: JsonInputError | undefined;
  walk(value, (node, _depth, frame) => {
    if (found || Array.isArray(node)) return;
    if (Object.hasOwn(node, '__proto__')) {
      found = new JsonInputError(pointerOf(frame, '__proto__'), `has a member named "__proto__", ${REFUSED}`);
    } else if (Object.hasOwn(node, 'constructor') && isContainer(node.constructor) && Object.hasOwn(node.constructor, 'prototype')) {
      found = new JsonInputError(pointerOf(frame, 'constructor'), `has a member named "constructor" holding a "prototype" member, ${REFUSED}`);
    }
  });
  return found;
}

/** `s` with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, Node 20+). */
export const wellFormed = (s: string): string => (LONE_SURROGATE.test(s) ? (s as string & { toWellFormed(): string }).toWellFormed() : s);

/** Replaces lone surrogates in every string and member name of `value` (a copy of one's own), in place; whether any was. */
export function replaceLoneSurrogates(value: unknown): boolean {
  let fixed = false;
  walk(value, (node) => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string' && wellFormed(v) !== v) {
          node[i] = wellFormed(v);
          fixed = true;
        }
      }
      return;
    }
    const keys = Object.keys(node);
    if (keys.some((k) => wellFormed(k) !== k)) {
      // member names too: rebuilt in their order (a name that becomes another's keeps the later value, as a repeated name does)
      const entries = keys.map((k) => [wellFormed(k), node[k]] as const);
      for (const k of keys) delete node[k];
      for (const [k, v] of entries) node[k] = v;
      fixed = true;
    }
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (typeof v === 'string' && wellFormed(v) !== v) {
        node[k] = wellFormed(v);
        fixed = true;
      }
    }
  });
  return fixed;
}
