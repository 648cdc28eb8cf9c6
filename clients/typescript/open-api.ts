import createFetchClient, { type Client } from 'openapi-fetch';
import { apiErrorFrom, unreachableError } from './api-error.ts';
import type { paths } from './schema.d.ts';

export type AaApi = Client<paths>;

export interface AaClientOptions {
  /** Where the API is, e.g. http://localhost:3000 (a path prefix behind a proxy is kept). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>` (`aa keys create`). */
  apiKey?: string;
  fetch?: typeof fetch;
}

/** The typed client of every operation in /openapi.json; a failed connection throws AaApiError status 0. */
export function createApi({ baseUrl, apiKey, fetch }: AaClientOptions): AaApi {
  const api = createFetchClient<paths>({
    baseUrl,
    ...(fetch ? { fetch } : {}),
    headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
  });
  api.use({ onError: ({ request, error }) => unreachableError(request.url, error) });
  return api;
}

/** The answer's data, or the API's error thrown as an AaApiError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Exclude<T, undefined>> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorFrom(response.status, error);
  return data as Exclude<T, undefined>;
}
