import { createMiddleware } from 'hono/factory';
import { routePath } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  duration: Histogram<'method' | 'route' | 'status'>;
  requests: Counter<'method' | 'route' | 'status'>;
}

/** Registers the per-route latency histogram and request counter on the injected registry (once). */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const existingDuration = registry.getSingleMetric('storyforge_api_request_duration_seconds');
  const existingRequests = registry.getSingleMetric('storyforge_api_requests_total');
  if (existingDuration instanceof Histogram && existingRequests instanceof Counter) {
    return {
      duration: existingDuration as Histogram<'method' | 'route' | 'status'>,
      requests: existingRequests as Counter<'method' | 'route' | 'status'>,
    };
  }
  return {
    duration: new Histogram({
      name: 'storyforge_api_request_duration_seconds',
      help: 'API request latency by route (matched pattern, not raw path) and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    requests: new Counter({
      name: 'storyforge_api_requests_total',
      help: 'API requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
  };
}

/** Middleware observing every request; the route label is the matched pattern to keep cardinality bounded. */
export function metricsMiddleware(metrics: HttpMetrics, now: () => number = () => performance.now()) {
  return createMiddleware(async (c, next) => {
    const start = now();
    try {
      await next();
    } finally {
      const labels = { method: c.req.method, route: routePath(c, -1) || 'unmatched', status: String(c.res.status) };
      metrics.duration.observe(labels, (now() - start) / 1000);
      metrics.requests.inc(labels);
    }
  });
}
