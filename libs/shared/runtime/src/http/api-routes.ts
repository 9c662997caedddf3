import { applyDecorators, HttpCode } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  type ApiOperationOptions,
  type ApiResponseOptions,
} from '@nestjs/swagger';

/*
 * The success side of a route, said once: the status it answers with, what it does (the OpenAPI
 * summary) and what the answer holds. The HTTP method, the guard and the refusals stay beside it
 * as decorators of their own, because they are what differs from one route to the next.
 */

/** What the route does: its summary, and a description where the summary cannot say it all. */
export type RouteSummary = string | (ApiOperationOptions & { summary: string });

const operation = (summary: RouteSummary) => ApiOperation(typeof summary === 'string' ? { summary } : summary);

/** A route that answers 200 with a JSON body (a POST too, which Nest would otherwise answer 201). */
export const OkRoute = (summary: RouteSummary, body: ApiResponseOptions) =>
  applyDecorators(HttpCode(200), operation(summary), ApiOkResponse({ ...body }));

/** A route that creates something and answers 201 with it. */
export const CreatedRoute = (summary: RouteSummary, body: ApiResponseOptions) =>
  applyDecorators(HttpCode(201), operation(summary), ApiCreatedResponse({ ...body }));

/** A route that takes a request on to be carried out later (an email sent) and answers 202. */
export const AcceptedRoute = (summary: RouteSummary, body: ApiResponseOptions) =>
  applyDecorators(HttpCode(202), operation(summary), ApiAcceptedResponse({ ...body }));

/** A command route that answers 204 without a body; `done` says what holds once it has. */
export const NoContentRoute = (summary: RouteSummary, done?: string) =>
  applyDecorators(HttpCode(204), operation(summary), ApiNoContentResponse({ description: done }));
