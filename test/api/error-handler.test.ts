import { Hono } from 'hono';
import { catchAllErrors, createErrorHandler } from '../../src/api/error-handler.ts';
import { createLogger } from '../../src/logger.ts';
import { readJson } from '../helpers/test-app.ts';

function appThrowing(value: unknown) {
  const logger = createLogger('silent', 'test');
  const app = new Hono();
  app.use(catchAllErrors(logger));
  app.onError(createErrorHandler(logger));
  app.get('/', () => {
    throw value;
  });
  return app;
}

describe('error handling of values Hono would not pass to onError', () => {
  it('answers 503 database_unavailable for a connection error that is not an Error instance', async () => {
    const res = await appThrowing({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }).request(
      '/',
    );
    expect(res.status).toBe(503);
    expect((await readJson(res)).error.code).toBe('database_unavailable');
  });

  it('answers 500 internal_error in the API error shape for a thrown string', async () => {
    const res = await appThrowing('boom').request('/');
    expect(res.status).toBe(500);
    expect(await readJson(res)).toEqual({ error: { code: 'internal_error', message: 'Internal server error' } });
  });
});
