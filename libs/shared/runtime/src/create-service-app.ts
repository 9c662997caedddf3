import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { ServiceConfig } from '@platform/config';
import { httpRouteMiddleware } from '@platform/tracing';
import { Logger } from 'nestjs-pino';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { ServiceMetrics } from './metrics/metrics';
import type { ServiceDefinition } from './service-definition';
import { SWAGGER_UI_HEADERS } from './http/html-security-headers';
import type { ServerResponse } from 'node:http';

export const OPENAPI_PATH = 'api/docs';

/** Builds (but does not start) a service's Nest application with the platform's HTTP defaults. */
export async function createServiceApp<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  config: C,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(definition.rootModule(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.use(httpMetricsMiddleware(app.get(ServiceMetrics)));
  const tracedRoutes = httpRouteMiddleware(); // null unless tracing is on
  if (tracedRoutes) app.use(tracedRoutes);
  definition.configureHttp?.(app, config);
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.useBodyParser('urlencoded', { extended: false, limit: config.HTTP_BODY_LIMIT });

  const document = openApiDocumentOf(app, definition);
  // Ahead of Swagger's own routes: the UI, its assets and the document all leave with these headers.
  app.use(`/${OPENAPI_PATH}`, (_req: unknown, res: ServerResponse, next: () => void) => {
    for (const [name, value] of Object.entries(SWAGGER_UI_HEADERS)) res.setHeader(name, value);
    next();
  });
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: `${OPENAPI_PATH}/openapi.json` });
  return app;
}

/** A service's OpenAPI document; also what the build commits for the browser apps (tools/build/web.ts). */
export function openApiDocumentOf(
  app: INestApplication,
  definition: Pick<ServiceDefinition<never>, 'title' | 'description' | 'version'>,
): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(definition.title)
      .setDescription(definition.description)
      .setVersion(definition.version)
      .addBearerAuth()
      .build(),
  );
}
