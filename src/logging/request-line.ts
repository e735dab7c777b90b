// One line per request, when it completes (no "incoming request" line): reqId (the
// snyk-request-id), method, url (secrets redacted), status and response time in ms, written
// through the logger like any other line (docs/decisions/0001-request-line.md).
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { redactUrl } from './redact.js';

export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, url: redactUrl(request.url), statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    // routes polled by health checks (config `quiet`, request.quiet): at debug level, so they do not flood the log
    else reply.log[request.quiet ? 'debug' : 'info'](line, 'request completed');
  }
}
