import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { traceLogFields, tracingActive } from '@platform/tracing';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const QUIET_PATHS = ['/health/', '/metrics'];

/**
 * JSON logs with a request id on every line: taken from X-Request-Id when a gateway
 * set a sane one, generated otherwise, and echoed back in the response; with tracing
 * on, also trace_id and span_id.
 */
export function loggerParams(serviceName: string, level: string): Params {
  return {
    pinoHttp: {
      name: serviceName,
      level,
      // With tracing on, every line logged inside a traced request or event names its trace and span.
      mixin: tracingActive() ? traceLogFields : undefined,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => QUIET_PATHS.some((p) => req.url?.startsWith(p)) },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
  };
}
