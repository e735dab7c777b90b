// The change log beside the JSON data file (`<db>.log`): what makes a durable write cost the same
// whatever the size of the store. Each group commit appends its records and fdatasyncs once; the
// JSON file is rewritten only when the log is compacted into it (size threshold, shutdown).
//
// Format: text lines, each `<crc32 as 8 hex digits> <JSON>\n`, the checksum taken over the JSON's
// UTF-8 bytes. The first line is the header {"snykMockLog":1,"schemaVersion":2,"seq":n}; every other
// line is one transaction: the JSON array of the changes one Store.commit made, all or nothing. `seq`
// ties the log to the data file: the file's `logSeq` names the log that continues it, so a log left
// behind by a compaction or a reset (whose data file already holds it, or replaced it) is ignored.
import * as zlib from 'node:zlib';
import { compiledCheck } from './compiled-checks.js';
import type { TSchema } from '@sinclair/typebox';
import {
  COLLECTIONS,
  CredentialRecord,
  GroupRecord,
  MembershipRecord,
  OrgRecord,
  RoleRecord,
  SCHEMA_VERSION,
  ServiceAccountRecord,
  UserRecord,
  type CollectionName,
} from '../schemas/store.js';
import type { Change } from './state.js';
import { READABLE_VERSIONS, readableVersion } from './migrate.js';

const LOG_FORMAT = 1;

export interface LogHeader {
  snykMockLog: number;
  schemaVersion: number;
  seq: number;
}

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 (zlib's; a JS fallback for Node versions without zlib.crc32). */
export const crc32: (data: Buffer) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Buffer): number }).crc32(data)
    : (data) => {
        let c = -1;
        for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
        return (c ^ -1) >>> 0;
      };

/** One log line for a JSON value. */
export function encodeLine(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const line = Buffer.allocUnsafe(json.length + 10);
  line.write(crc32(json).toString(16).padStart(8, '0'), 0, 'latin1');
  line[8] = 0x20;
  json.copy(line, 9);
  line[line.length - 1] = 0x0a;
  return line;
}

export const headerLine = (seq: number): Buffer => encodeLine({ snykMockLog: LOG_FORMAT, schemaVersion: SCHEMA_VERSION, seq } satisfies LogHeader);

/** The lines of one group commit: one per transaction. */
export function encodeTransactions(transactions: readonly (readonly Change[])[]): Buffer {
  return Buffer.concat(transactions.filter((t) => t.length > 0).map((t) => encodeLine(t)));
}

/** Record checks, compiled once: cheap enough for every record of a large store at start-up. */
const RECORD_SCHEMAS: Record<CollectionName, TSchema> = {
  groups: GroupRecord,
  orgs: OrgRecord,
  roles: RoleRecord,
  users: UserRecord,
  memberships: MembershipRecord,
  service_accounts: ServiceAccountRecord,
  credentials: CredentialRecord,
};
const checkers = new Map(COLLECTIONS.map((c) => [c, compiledCheck(`record_${c}`, RECORD_SCHEMAS[c])]));

/** Why `value` is not a valid record of `coll`, or undefined. */
function recordProblem(coll: CollectionName, value: unknown): string | undefined {
  const check = checkers.get(coll)!;
  if (check.Check(value)) return undefined;
  const e = check.Errors(value).First();
  return `${e?.path || '/'}: ${e?.message}`;
}

function changeProblem(c: unknown): string | undefined {
  if (c === null || typeof c !== 'object') return 'a change is not an object';
  const { op, coll } = c as { op?: unknown; coll?: unknown };
  if (typeof coll !== 'string' || !checkers.has(coll as CollectionName)) return `unknown collection ${JSON.stringify(coll)}`;
  if (op === 'del') return typeof (c as { id?: unknown }).id === 'string' ? undefined : 'a del change has no id';
  if (op !== 'put') return `unknown op ${JSON.stringify(op)}`;
  const p = recordProblem(coll as CollectionName, (c as { value?: unknown }).value);
  return p && `${coll} record ${p}`;
}

export type ParsedLog =
  | { kind: 'empty'; tornAt?: number }
  | {
      kind: 'log';
      header: LogHeader;
      transactions: Change[][] /** bytes of the valid prefix */;
      validBytes: number /** a torn tail starts here */;
      tornAt?: number;
    };

/** A log that cannot be used as it is (not a torn tail): reported with the byte offset. */
export class LogFormatError extends Error {
  override name = 'LogFormatError';
}

/**
 * Parses a log. A torn tail (the last append of a crashed process: an incomplete line, or lines
 * failing their checksum with nothing valid after them) is reported in `tornAt`, not an error. A
 * bad line followed by valid ones, a valid line that is not a transaction, or an unknown header
 * throws LogFormatError.
 */
export interface ParseOptions {
  /** upgrades a transaction logged at an older schemaVersion; without it such a log is refused */
  upgrade?: (transaction: unknown[], fromVersion: number) => unknown[];
}

export function parseLog(buf: Buffer, opts: ParseOptions = {}): ParsedLog {
  const lines: { start: number; end: number; value?: unknown }[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl === -1 ? buf.length : nl + 1;
    lines.push({ start, end, value: nl === -1 ? undefined : decodeLine(buf, start, nl) });
    start = end;
  }
  // the first line that fails; only a tail of failing lines is a torn write
  const bad = lines.findIndex((l) => l.value === undefined);
  if (bad !== -1) {
    const after = lines.slice(bad + 1).findIndex((l) => l.value !== undefined);
    if (after !== -1) {
      throw new LogFormatError(
        `line ${bad + 1} (byte ${lines[bad].start}) is damaged but line ${bad + after + 2} after it is intact, so this is not a torn last write`,
      );
    }
  }
  const good = bad === -1 ? lines : lines.slice(0, bad);
  const tornAt = bad === -1 ? undefined : lines[bad].start;
  if (good.length === 0) return { kind: 'empty', tornAt };
  const header = good[0].value as Partial<LogHeader> | null;
  if (!header || typeof header !== 'object' || Array.isArray(header) || header.snykMockLog === undefined) {
    throw new LogFormatError('its first line is not a snyk-mock log header');
  }
  if (header.snykMockLog !== LOG_FORMAT)
    throw new LogFormatError(`its log format is ${JSON.stringify(header.snykMockLog)}, and this snyk-mock reads log format ${LOG_FORMAT} only`);
  const version = header.schemaVersion;
  if (!readableVersion(version) || (version !== SCHEMA_VERSION && !opts.upgrade)) {
    throw new LogFormatError(
      `its schemaVersion is ${JSON.stringify(version)}, and this snyk-mock reads schemaVersion ${opts.upgrade ? READABLE_VERSIONS : `${SCHEMA_VERSION} only`}`,
    );
  }
  if (!Number.isSafeInteger(header.seq) || (header.seq as number) < 0) throw new LogFormatError(`its header has no valid seq (${JSON.stringify(header.seq)})`);
  const transactions: Change[][] = [];
  for (let i = 1; i < good.length; i++) {
    const raw = good[i].value;
    const t = version !== SCHEMA_VERSION && Array.isArray(raw) ? opts.upgrade!(raw, version) : raw;
    const problem = Array.isArray(t) ? t.map(changeProblem).find((p) => p !== undefined) : 'not a list of changes';
    if (problem) throw new LogFormatError(`line ${i + 1} (byte ${good[i].start}) is not a valid transaction: ${problem}`);
    transactions.push(t as Change[]);
  }
  return { kind: 'log', header: header as LogHeader, transactions, validBytes: good[good.length - 1].end, tornAt };
}

/** The JSON value of a line whose checksum matches, else undefined. */
function decodeLine(buf: Buffer, start: number, nl: number): unknown {
  if (nl - start < 10 || buf[start + 8] !== 0x20) return undefined;
  const sum = Number.parseInt(buf.toString('latin1', start, start + 8), 16);
  const json = buf.subarray(start + 9, nl);
  if (!/^[0-9a-f]{8}$/.test(buf.toString('latin1', start, start + 8)) || crc32(json) !== sum) return undefined;
  try {
    return JSON.parse(json.toString('utf8'));
  } catch {
    return undefined;
  }
}
