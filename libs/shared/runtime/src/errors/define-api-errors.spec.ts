import { ApiError } from './api-error';
import { toErrorBody } from './api-exception.filter';
import { defineApiErrors } from './define-api-errors';

enum ThingErrorCode {
  NotFound = 'thing_not_found',
  Taken = 'thing_taken',
}

class ThingError extends defineApiErrors<ThingErrorCode>({
  [ThingErrorCode.NotFound]: 404,
  [ThingErrorCode.Taken]: 409,
}) {}

describe('defineApiErrors', () => {
  it("makes ApiErrors with the code's status, which the filter answers with", () => {
    const error = new ThingError(ThingErrorCode.Taken, 'This name is taken', { name: 'x' });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(ThingError);
    expect(error).toMatchObject({ status: 409, code: 'thing_taken', message: 'This name is taken' });
    expect(toErrorBody(error)).toEqual({
      status: 409,
      body: { error: { code: 'thing_taken', message: 'This name is taken', details: { name: 'x' } } },
    });
  });

  it('tells the status of a code', () => {
    expect(ThingError.statusOf(ThingErrorCode.NotFound)).toBe(404);
  });
});
