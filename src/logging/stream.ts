// Where the log lines go: pretty (pino-pretty) on a terminal, otherwise JSON lines on stdout,
// the lines of one turn of the event loop written together (docs/decisions/0002-log-lines-per-turn.md).
import { createRequire } from 'node:module';
import onExit from 'on-exit-leak-free';
import pino, { type DestinationStream } from 'pino';
import type { Settings } from '../settings/config.js';

/**
 * A destination that writes the lines logged in one turn of the event loop together, at the end of
 * the turn (or at once past `maxChars` characters), in one synchronous write to `sink`; what is
 * still pending when the process exits is written then.
 */
export class LinesPerTurn implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;
  private scheduled = false;
  private readonly flushLater = () => {
    this.scheduled = false;
    this.flush();
  };

  constructor(
    private readonly sink: { write(text: string): unknown },
    private readonly maxChars = 64 * 1024,
  ) {
    // held weakly: a logger that is gone is not kept alive for the exit
    onExit.register(this, (self: LinesPerTurn) => self.flush());
  }

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushLater);
    }
  }

  /** Writes what is pending now (pino calls it too, e.g. on a fatal error). */
  flush(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(text);
  }

  flushSync(): void {
    this.flush();
  }
}

/** stdout, pretty when it is a terminal and the format allows, else JSON lines (LinesPerTurn). */
export function defaultStream(settings: Settings): DestinationStream {
  const usePretty = settings.logFormat === 'pretty' || (settings.logFormat === 'auto' && process.stdout.isTTY === true);
  if (!usePretty) return new LinesPerTurn(pino.destination({ dest: 1, sync: true }));
  // loaded only for a terminal: JSON logging (containers, CI) does not pay for it
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    // a request is one line: "request completed GET /rest/self?… 200 1.2 ms {reqId}"
    messageFormat: '{msg}{if method} {method} {url} {statusCode} {responseTime} ms{end}',
    ignore: 'pid,hostname,method,url,statusCode,responseTime',
    singleLine: true,
    sync: true,
  }) as DestinationStream;
}
