// One HTTP exchange over a plain TCP socket, for requests no HTTP client will send (malformed
// request lines, oversized headers, hand-written chunking, no Host header) and for answers Node's
// server writes before any framework sees the request.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** the whole response as received */
  raw: string;
}

/** Parses the first response in `bytes` (Content-Length framing, or up to the end). */
export function parseResponse(bytes: Buffer): RawResponse {
  const raw = bytes.toString('utf8');
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete response head in ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = bytes.subarray(end + 4);
  const body = (headers['content-length'] !== undefined ? rest.subarray(0, Number(headers['content-length'])) : rest).toString('utf8');
  return { status, headers, body, raw };
}

/**
 * Writes `request` (string or chunks written one after another), reads until the server closes
 * the connection (or `settle` says the data so far is enough), and parses the first response.
 */
export function rawRequest(port: number, request: string | string[], opts: { settle?: (raw: string) => boolean } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    };
    socket.on('connect', () => {
      for (const part of [request].flat()) socket.write(part);
    });
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (opts.settle?.(Buffer.concat(chunks).toString('utf8'))) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // the server may reset the connection after answering a request it refused: keep what came
    socket.on('error', (err) => (chunks.length > 0 ? finish() : reject(err)));
  });
}
