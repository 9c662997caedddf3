import { BadRequestException, NotFoundException } from '@nestjs/common';
import { ApiError } from './api-error';
import { toErrorBody } from './api-exception.filter';

describe('toErrorBody', () => {
  it('keeps the code of a domain ApiError', () => {
    expect(toErrorBody(new ApiError(409, 'email_taken', 'Email already registered'))).toEqual({
      status: 409,
      body: { error: { code: 'email_taken', message: 'Email already registered' } },
    });
  });

  it('turns ValidationPipe errors into validation_failed with the field messages', () => {
    const { status, body } = toErrorBody(new BadRequestException(['email must be an email']));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'validation_failed', details: ['email must be an email'] });
  });

  it('maps framework HTTP errors to stable codes', () => {
    expect(toErrorBody(new NotFoundException()).body.error.code).toBe('not_found');
  });

  it('maps body-parser failures, raw or wrapped by Nest, to 4xx codes', () => {
    const tooLarge = Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 });
    expect(toErrorBody(tooLarge)).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
    const malformed = Object.assign(new SyntaxError('Unexpected end'), { type: 'entity.parse.failed', status: 400 });
    expect(toErrorBody(new BadRequestException(malformed.message, { cause: malformed }))).toMatchObject({
      status: 400,
      body: { error: { code: 'malformed_json', message: 'Request body is not valid JSON' } },
    });
  });

  it('hides the details of unexpected errors', () => {
    const { status, body } = toErrorBody(new Error('connection string postgres://secret'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
