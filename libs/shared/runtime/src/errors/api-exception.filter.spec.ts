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

  it('maps body-parser failures to 4xx codes', () => {
    expect(toErrorBody(Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 }))).toMatchObject({
      status: 413,
      body: { error: { code: 'payload_too_large' } },
    });
    expect(toErrorBody(Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed', status: 400 })).body.error.code).toBe(
      'malformed_json',
    );
  });

  it('hides the details of unexpected errors', () => {
    const { status, body } = toErrorBody(new Error('connection string postgres://secret'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
