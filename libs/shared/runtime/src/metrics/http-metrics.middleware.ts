import type { NextFunction, Request, Response } from 'express';
import type { ServiceMetrics } from './metrics';

/**
 * Times every request and labels it with the matched route pattern (never the raw
 * path, which would explode label cardinality).
 */
export function httpMetricsMiddleware(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const { method } = req;
      const status = res.statusCode;
      metrics.httpRequestDuration.observeSeries(
        `${method} ${status} ${route}`,
        () => ({ method, route, status_code: String(status) }),
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}
