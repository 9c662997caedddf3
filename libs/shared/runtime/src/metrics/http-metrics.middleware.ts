import type { NextFunction, Request, Response } from 'express';
import type { ServiceMetrics } from './metrics';

/**
 * Times every request and labels it with the matched route pattern (never the raw
 * path, which would explode label cardinality).
 */
export function httpMetricsMiddleware(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpRequestDuration.startTimer({ method: req.method });
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route, status_code: String(res.statusCode) });
    });
    next();
  };
}
