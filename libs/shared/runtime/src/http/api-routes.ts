import { applyDecorators, HttpCode } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  type ApiResponseOptions,
} from '@nestjs/swagger';

/*
 * The success side of a route, said once: the status it answers with, what it does (the OpenAPI
 * summary) and what the answer holds. The HTTP method, the guard and the refusals stay beside it
 * as decorators of their own, because they are what differs from one route to the next.
 */

/** A route that answers 200 with a JSON body (a POST too, which Nest would otherwise answer 201). */
export const OkRoute = (summary: string, body: ApiResponseOptions) =>
  applyDecorators(HttpCode(200), ApiOperation({ summary }), ApiOkResponse({ ...body }));

/** A route that creates something and answers 201 with it. */
export const CreatedRoute = (summary: string, body: ApiResponseOptions) =>
  applyDecorators(HttpCode(201), ApiOperation({ summary }), ApiCreatedResponse({ ...body }));

/** A command route that answers 204 without a body; `done` says what holds once it has. */
export const NoContentRoute = (summary: string, done?: string) =>
  applyDecorators(HttpCode(204), ApiOperation({ summary }), ApiNoContentResponse({ description: done }));
