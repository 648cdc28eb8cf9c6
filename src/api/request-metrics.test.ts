import { Hono } from 'hono';
import { Histogram, Registry } from 'prom-client';
import { requestMetrics } from './request-metrics.ts';

function appWithMetrics() {
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'probe_seconds',
    help: 'probe',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const app = new Hono();
  app.use(requestMetrics(histogram));
  app.get('/things/:id', (c) => (c.req.param('id') === 'bad' ? Promise.reject(new Error('boom')) : c.text('ok')));
  app.onError((_err, c) => c.text('failed', 500));
  return { app, registry };
}

describe('request metrics middleware', () => {
  it('labels requests by the route pattern, not the path, including failed ones', async () => {
    const { app, registry } = appWithMetrics();
    await app.request('/things/1');
    await app.request('/things/2');
    await app.request('/things/bad');

    const text = await registry.metrics();
    expect(text).toContain('probe_seconds_count{method="GET",route="/things/:id",status="200"} 2');
    expect(text).toContain('probe_seconds_count{method="GET",route="/things/:id",status="500"} 1');
    expect(text).not.toContain('/things/1');
  });

  it('puts every unmatched path under one label', async () => {
    const { app, registry } = appWithMetrics();
    await app.request('/a');
    await app.request('/b/c');

    expect(await registry.metrics()).toContain('probe_seconds_count{method="GET",route="unmatched",status="404"} 2');
  });
});
