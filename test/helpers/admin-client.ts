import type { TestApp } from './test-app.ts';

export interface AdminClient {
  get: (path: string, headers?: Record<string, string>) => Promise<Response>;
  put: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  del: (path: string) => Promise<Response>;
}

/** Calls the in-process app with a key; object bodies go as JSON, strings as they are. */
export function adminClient(t: TestApp, key: string): AdminClient {
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    get: (path, headers) => send('GET', path, undefined, headers),
    put: (path, body, headers) => send('PUT', path, body, headers),
    post: (path, body, headers) => send('POST', path, body, headers),
    del: (path) => send('DELETE', path),
  };
}
