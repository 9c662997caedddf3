import { ApiError } from './api-error';
import { toErrorBody } from './api-exception.filter';
import { defineApiErrorCodes, defineApiErrors } from './define-api-errors';

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

describe('defineApiErrorCodes', () => {
  const [WidgetErrorCode, WidgetError] = defineApiErrorCodes({
    NotFound: ['widget_not_found', 404],
    Locked: ['widget_locked', 423],
  });

  it('names each code once and makes ApiErrors with its status', () => {
    expect(WidgetErrorCode).toEqual({ NotFound: 'widget_not_found', Locked: 'widget_locked' });
    const error = new WidgetError(WidgetErrorCode.Locked, 'The widget is locked');
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(WidgetError);
    expect(error).toMatchObject({ status: 423, code: 'widget_locked', message: 'The widget is locked' });
    expect(WidgetError.statusOf(WidgetErrorCode.NotFound)).toBe(404);
  });

  it('freezes the code constants', () => {
    expect(Object.isFrozen(WidgetErrorCode)).toBe(true);
  });
});
