/**
 * Error codes of protocol v1 and the HTTP status each maps to.
 * @module
 */

/** HTTP status for every protocol error code. */
export const ERROR_STATUS = {
  invalid_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

/** A protocol error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The error object of a REST error body and of a failed socket ack. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
  retryAfterMs?: number;
}

/** A socket acknowledgement: `{ ok: true, ...data }` or `{ ok: false, error }`. */
export type Ack<T extends object = Record<never, never>> =
  | ({ ok: true } & T)
  | { ok: false; error: ErrorBody };
