/**
 * The SDK's error: what the server answered, with the protocol's code; and
 * which errors are tried again.
 * @module
 */
import type { ErrorBody } from "../protocol/errors.ts";

/** An error the server answered with; `code` is one of the protocol's error codes. */
export class ChatClientError extends Error {
  /** The protocol error code. */
  readonly code: ErrorBody["code"];
  /**
   * More about the refusal when the server gave it: which fields were invalid,
   * `{ reason: "blocked" }` when one user blocked the other, or
   * `{ reason: "deleted" }` when the other deleted their account.
   */
  readonly details?: unknown;
  /**
   * With `rate_limited` (or a proxy's `Retry-After`): milliseconds until a
   * retry may succeed.
   */
  readonly retryAfterMs?: number;

  /** Wraps a protocol error body. */
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = "ChatClientError";
    this.code = body.code;
    this.details = body.details;
    this.retryAfterMs = body.retryAfterMs;
  }
}

/** Codes worth trying again later; every other code means the server will never take it. */
export const RETRYABLE: ReadonlySet<string> = new Set(["unavailable", "rate_limited", "internal"]);
