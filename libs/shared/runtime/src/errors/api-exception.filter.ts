import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from './api-error';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/** Every error leaves as `{ error: { code, message, requestId } }`; 5xx never leak internals. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const { status, body } = toErrorBody(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    body.error.requestId = req.id;
    // Rate limits say when to come back (RFC 9110 §10.2.3) in the header as well as in details.
    const retryAfter = (body.error.details as { retryAfter?: unknown } | undefined)?.retryAfter;
    if (status === 429 && typeof retryAfter === 'number' && !res.headersSent)
      res.setHeader('Retry-After', String(retryAfter));
    if (!res.headersSent) res.status(status).json(body);
  }
}

/** body-parser failures, recognised by their `type` (Nest wraps them, keeping them as `cause`). */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'Request body is too large' },
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'Request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: 'Unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'Unsupported charset' },
};

export function toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
  const reply = (status: number, code: string, message: string, details?: unknown) => ({
    status,
    body: { error: details === undefined ? { code, message } : { code, message, details } },
  });
  if (exception instanceof ApiError) {
    return reply(exception.status, exception.code, exception.message, exception.details);
  }
  const rawError = exception instanceof HttpException ? exception.cause : exception;
  const bodyParserError = BODY_PARSER_ERRORS[(rawError as { type?: string } | undefined)?.type ?? ''];
  if (bodyParserError) return reply(bodyParserError.status, bodyParserError.code, bodyParserError.message);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const messages = typeof response === 'object' ? (response as { message?: unknown }).message : response;
    if (status === HttpStatus.BAD_REQUEST && Array.isArray(messages)) {
      return reply(status, 'validation_failed', 'Request validation failed', messages);
    }
    return reply(status, CODES_BY_STATUS[status] ?? `http_${status}`, String(messages ?? exception.message));
  }
  return reply(500, 'internal_error', 'Internal server error');
}
