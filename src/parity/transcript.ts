// The transcript: what the recording proxy writes and what `compare` replays. Plain JSON, one file
// per recording, secrets already replaced by `<secret:N>` placeholders (redact.ts). The format is
// described for users in docs/parity.md; `format` names its version.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export const TRANSCRIPT_FORMAT = 'snyk-mock-parity-transcript/1';

/** A body as recorded: JSON parsed, a form as its pairs, other text as text. */
export type RecordedBody = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'form'; value: [string, string][] } | { kind: 'text'; value: string };

export interface RecordedRequest {
  method: string;
  /** the path as sent, without the query */
  path: string;
  /** the query's pairs in their order (repeated names kept) */
  query: [string, string][];
  /** content-type, accept and authorization (its value redacted), when sent */
  headers: Record<string, string>;
  body: RecordedBody;
}

export interface RecordedResponse {
  status: number;
  /** every response header but the connection's own (date, connection, content-length, …) */
  headers: Record<string, string>;
  body: RecordedBody;
}

export interface Exchange {
  /** 0-based position in the order the proxy received the requests */
  index: number;
  request: RecordedRequest;
  response: RecordedResponse;
}

interface TranscriptMeta {
  /** the upstream the proxy forwarded to, e.g. https://api.snyk.io */
  upstream: string;
  /** when the recording started (ISO) */
  recorded_at: string;
  /** true when the upstream was not Snyk (a mock, Prism, a test double) */
  made_here: boolean;
  /** the snyk-mock version of the upstream, when the upstream is a snyk-mock; else null */
  mock_version: string | null;
  /** the version of the recorder */
  recorder_version: string;
  note: string;
  /** the form of each placeholder's secret (uuid, jwt, snyk-token, string…), so a replay can make a stand-in */
  secret_forms: Record<string, string>;
}

export interface Transcript {
  format: typeof TRANSCRIPT_FORMAT;
  meta: TranscriptMeta;
  exchanges: Exchange[];
}

export function readTranscript(file: string): Transcript {
  const t = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
  if (t?.format !== TRANSCRIPT_FORMAT || !Array.isArray(t.exchanges) || typeof t.meta !== 'object') {
    throw new Error(`${file}: not a parity transcript (format ${TRANSCRIPT_FORMAT})`);
  }
  return t;
}

/** Written whole to a temporary file and renamed: a reader never sees half a transcript. */
export function writeTranscript(file: string, t: Transcript): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(t, null, 2)}\n`);
  renameSync(tmp, file);
}

/** Parses a body by its content type. */
export function parseBody(contentType: string | undefined, raw: string): RecordedBody {
  if (raw === '') return { kind: 'none' };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return { kind: 'form', value: [...new URLSearchParams(raw)] };
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { kind: 'json', value: JSON.parse(raw) };
    } catch {
      return { kind: 'text', value: raw };
    }
  }
  return { kind: 'text', value: raw };
}

/** The bytes of a recorded body, to send again. */
export function serialiseBody(body: RecordedBody): string | undefined {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
      return JSON.stringify(body.value);
    case 'form':
      return new URLSearchParams(body.value).toString();
    case 'text':
      return body.value;
  }
}
