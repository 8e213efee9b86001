/**
 * The error classes of the core. Each carries a protocol code; the HTTP layer maps
 * them in one `onError`, the socket layer in one ack helper. Anything else that is
 * thrown is answered as `internal` without its message.
 * @module
 */
import type { ErrorBody, ErrorCode } from "../protocol/mod.ts";
import type { ChatRecord } from "./types.ts";
import { isBlocked, isEnded } from "./views.ts";

/** Options common to every error class. */
export interface ChatErrorOptions {
  cause?: unknown;
  details?: unknown;
}

/** Base class: an error a client may see, with its protocol code. */
export class ChatError extends Error {
  /** The protocol error code. */
  readonly code: ErrorCode;
  /** Extra data for the client, such as which fields were invalid. */
  readonly details?: unknown;

  /** Creates an error with a protocol code and a message fit for clients. */
  constructor(code: ErrorCode, message: string, options: ChatErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "ChatError";
    this.code = code;
    this.details = options.details;
  }
}

/** Bad input: wrong shape, type or length (`invalid_payload`, or `payload_too_large`). */
export class ValidationError extends ChatError {
  /** Creates a validation error; `tooLarge` selects `payload_too_large`. */
  constructor(message: string, options: ChatErrorOptions & { tooLarge?: boolean } = {}) {
    super(options.tooLarge ? "payload_too_large" : "invalid_payload", message, options);
    this.name = "ValidationError";
  }
}

/** Missing, invalid or revoked credentials (`unauthorized`). */
export class AuthError extends ChatError {
  /** Creates an authentication error. */
  constructor(message = "Authentication required", options: ChatErrorOptions = {}) {
    super("unauthorized", message, options);
    this.name = "AuthError";
  }
}

/** The caller may not do this (`forbidden`), or the thing is not there (`not_found`). */
export class AccessError extends ChatError {
  /** Creates an access error with `forbidden` or `not_found`. */
  constructor(
    code: "forbidden" | "not_found",
    message: string,
    options: ChatErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "AccessError";
  }
}

/**
 * The refusal of anything new between two users when one blocked the other:
 * `forbidden` with `details.reason` "blocked", so a client can say why.
 */
export function blockedError(): AccessError {
  return new AccessError("forbidden", "Cannot reach a user who blocked you or whom you blocked", {
    details: { reason: "blocked" },
  });
}

/**
 * The refusal of a chat with, or a group add of, someone who is neither a
 * friend nor a chat partner of the caller, where the policy asks for one:
 * `forbidden` with `details.reason` "not_contact".
 */
export function notContactError(message: string): AccessError {
  return new AccessError("forbidden", message, { details: { reason: "not_contact" } });
}

/**
 * The refusal of a member's change that the group keeps for its owner and
 * admins (`permissions`): `forbidden` with `details.reason` "admins_only".
 */
export function adminsOnlyError(message: string): AccessError {
  return new AccessError("forbidden", message, { details: { reason: "admins_only" } });
}

/** The refusal of a member past `MAX_GROUP_SIZE` (`max`): `invalid_payload` (400). */
export function groupFullError(max: number): ValidationError {
  return new ValidationError(`A group has at most ${max} participants`);
}

/**
 * The refusal of a send to a direct chat whose other participant deleted their
 * account: `forbidden` with `details.reason` "deleted".
 */
export function deletedAccountError(): AccessError {
  return new AccessError("forbidden", "Cannot reach a deleted account", {
    details: { reason: "deleted" },
  });
}

/**
 * Why nobody may write to a chat (send, edit, react, type): a block, or a direct
 * chat left by a deleted account; null when writing is open.
 */
export function writeRefusal(chat: ChatRecord): AccessError | null {
  if (isBlocked(chat)) return blockedError();
  if (isEnded(chat)) return deletedAccountError();
  return null;
}

/** The request clashes with existing state (`conflict`). */
export class ConflictError extends ChatError {
  /** Creates a conflict error. */
  constructor(message: string, options: ChatErrorOptions = {}) {
    super("conflict", message, options);
    this.name = "ConflictError";
  }
}

/** Too many requests (`rate_limited`), with how long to wait. */
export class RateLimitError extends ChatError {
  /** Milliseconds until a retry may succeed. */
  readonly retryAfterMs: number;

  /** Creates a rate limit error. */
  constructor(retryAfterMs: number, options: ChatErrorOptions = {}) {
    super("rate_limited", "Too many requests", options);
    this.name = "RateLimitError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** A dependency the request needs is down (`unavailable`); the client may retry. */
export class UnavailableError extends ChatError {
  /** Creates an unavailable error. */
  constructor(message: string, options: ChatErrorOptions = {}) {
    super("unavailable", message, options);
    this.name = "UnavailableError";
  }
}

/** Turns any thrown value into the protocol's error object; unknown errors become `internal`. */
export function toErrorBody(error: unknown): ErrorBody {
  if (!(error instanceof ChatError)) return { code: "internal", message: "Internal error" };
  const body: ErrorBody = { code: error.code, message: error.message };
  if (error.details !== undefined) body.details = error.details;
  if (error instanceof RateLimitError) body.retryAfterMs = error.retryAfterMs;
  return body;
}
