import type { Config } from '../config.ts';

export class ApiCallError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

interface ErrorShape {
  error?: { code?: string; message?: string; details?: unknown };
}

function describeFailure(status: number, text: string): string {
  let body: ErrorShape | undefined;
  try {
    body = JSON.parse(text) as ErrorShape;
  } catch {
    return `HTTP ${status}: ${text.slice(0, 500)}`;
  }
  const { code, message, details } = body.error ?? {};
  const lines = [`HTTP ${status} ${code ?? ''}: ${message ?? text.slice(0, 500)}`];
  if (Array.isArray(details)) {
    for (const d of details.slice(0, 20) as { path?: string; message?: string }[]) {
      if (d.path !== undefined && d.message) lines.push(`  ${d.path || '(document)'}: ${d.message}`);
    }
  }
  return lines.join('\n');
}

/** Calls the REST API at AA_URL with AA_API_KEY; a non-2xx answer throws with the API's error message. */
export async function callApi(
  config: Config['cli'],
  method: string,
  path: string,
  init: { body?: string | FormData; headers?: Record<string, string> } = {},
): Promise<Response> {
  const url = new URL(path, config.url.endsWith('/') ? config.url : `${config.url}/`);
  const headers: Record<string, string> = { ...init.headers };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: init.body });
  } catch (err) {
    throw new ApiCallError(
      0,
      `cannot reach ${url.origin} (AA_URL): ${err instanceof Error ? (err.cause ?? err.message) : String(err)}`,
    );
  }
  if (!res.ok) throw new ApiCallError(res.status, describeFailure(res.status, await res.text()));
  return res;
}
