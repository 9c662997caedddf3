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
    if (!res.headersSent) res.status(status).json(body);
  }
}

export function toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof ApiError) {
    return { status: exception.status, body: { error: { code: exception.code, message: exception.message, details: exception.details } } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const messages = typeof response === 'object' ? (response as { message?: unknown }).message : response;
    if (status === HttpStatus.BAD_REQUEST && Array.isArray(messages)) {
      return { status, body: { error: { code: 'validation_failed', message: 'Request validation failed', details: messages } } };
    }
    return { status, body: { error: { code: CODES_BY_STATUS[status] ?? `http_${status}`, message: String(messages ?? exception.message) } } };
  }
  const bodyParserError = exception as { type?: string; status?: number };
  if (bodyParserError?.type === 'entity.too.large') {
    return { status: 413, body: { error: { code: 'payload_too_large', message: 'Request body is too large' } } };
  }
  if (bodyParserError?.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'malformed_json', message: 'Request body is not valid JSON' } } };
  }
  if (typeof bodyParserError?.status === 'number' && bodyParserError.status >= 400 && bodyParserError.status < 500) {
    const status = bodyParserError.status;
    return { status, body: { error: { code: CODES_BY_STATUS[status] ?? `http_${status}`, message: 'Request rejected' } } };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'Internal server error' } } };
}
