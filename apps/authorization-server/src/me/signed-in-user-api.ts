import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';

/**
 * A controller of the signed-in user's own routes (the account console's API, tagged `me`): every
 * route takes a user's bearer token, in a tenant; without a valid one it answers 401.
 */
export const SignedInUserApi = () =>
  applyDecorators(
    ApiTags('me'),
    ApiBearerAuth(),
    ApiResponse({ status: 401, description: 'No valid bearer token (`invalid_token`)' }),
    Authorize({ signedInUser: true }),
  );
