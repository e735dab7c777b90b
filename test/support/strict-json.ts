// A strict reading of JSON output, as jq or Go read it: the bytes must be UTF-8 (a fatal decoder),
// and no string or member name may hold a lone surrogate (JSON.parse takes `"\ud800"`, jq refuses it:
// "Invalid \uXXXX\uXXXX surrogate pair escape").

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `bytes` decoded as UTF-8, refusing anything that is not (undefined then). */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Why `output` is not strictly valid JSON, or undefined. */
export function strictJsonProblem(output: Uint8Array | string): string | undefined {
  const text = typeof output === 'string' ? output : strictUtf8(output);
  if (text === undefined) return 'not UTF-8';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return `a lone surrogate in ${JSON.stringify(v)}`;
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return `a lone surrogate in the member name ${JSON.stringify(k)}`;
        stack.push(child);
      }
    }
  }
  return undefined;
}

/** Each line of a JSON-lines text (the change log: `<crc32> <JSON>`), `prefix` characters skipped. */
export const linesProblem = (text: string, prefix = 0): string | undefined =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line, i) => {
      const p = strictJsonProblem(line.slice(prefix));
      return p && `line ${i + 1}: ${p}`;
    })
    .find(Boolean);
