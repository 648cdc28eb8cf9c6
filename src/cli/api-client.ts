import { detailLines, type AaApiError } from '../../clients/typescript/api-error.ts';
import { createApi, type AaApi } from '../../clients/typescript/open-api.ts';
import type { Config } from '../config.ts';

// The CLI talks to the API through the TypeScript client (clients/typescript), as users' scripts do.
export { AaApiError as ApiCallError } from '../../clients/typescript/api-error.ts';
export { unwrap } from '../../clients/typescript/open-api.ts';

/** The typed client of the REST API at AA_URL, with AA_API_KEY. */
export function cliApi(config: Config['cli']): AaApi {
  return createApi({ baseUrl: config.url, apiKey: config.apiKey });
}

/** The API's refusal for people: status, code and message, then the fields a 422 named. */
export function describeApiError(err: AaApiError): string {
  if (err.status === 0) return `${err.message} (AA_URL)`;
  return [
    `HTTP ${err.status} ${err.code}: ${err.message}`,
    ...detailLines(err)
      .slice(0, 20)
      .map((l) => `  ${l}`),
  ].join('\n');
}
