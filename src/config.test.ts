import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.temporal.namespace).toBe('default');
    expect(config.limits.queueHardLimit).toBeUndefined();
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('names every malformed variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_TLS: 'maybe' })).toThrow(
      /PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/,
    );
    expect(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).toThrow(/TEMPORAL_TLS/);
  });

  it('parses limits and booleans', () => {
    const config = loadConfig({ QUEUE_SOFT_LIMIT: '10', QUEUE_HARD_LIMIT: '15', TEMPORAL_TLS: 'true' });
    expect(config.limits).toMatchObject({ queueSoftLimit: 10, queueHardLimit: 15 });
    expect(config.temporal.tls).toBe(true);
  });
});
