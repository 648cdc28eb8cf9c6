/**
 * What the API refused, as it said it: the HTTP status, its machine-readable code and its message
 * (`{ error: { code, message, details } }`). Status 0 with code `unreachable` when no answer came.
 */
export class AaApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AaApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The error from a non-2xx answer's body, parsed JSON or text (a proxy's page, say). */
export function apiErrorFrom(status: number, body: unknown): AaApiError {
  const error = typeof body === 'object' && body !== null ? (body as ErrorBody).error : undefined;
  if (typeof error?.code === 'string' && typeof error.message === 'string')
    return new AaApiError(status, error.code, error.message, error.details);
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return new AaApiError(status, `http_${status}`, text.slice(0, 500) || `HTTP ${status}`);
}

export function unreachableError(url: string, cause: unknown): AaApiError {
  const reason = cause instanceof Error ? String(cause.cause ?? cause.message) : String(cause);
  return new AaApiError(0, 'unreachable', `cannot reach ${new URL(url).origin}: ${reason}`);
}

/** `field: message` lines of a validation error's details (422), for people reading the error. */
export function detailLines(err: AaApiError): string[] {
  if (!Array.isArray(err.details)) return [];
  return (err.details as { path?: unknown; message?: unknown }[])
    .filter((d) => typeof d.path === 'string' && typeof d.message === 'string')
    .map((d) => `${(d.path as string) || '(document)'}: ${d.message as string}`);
}
