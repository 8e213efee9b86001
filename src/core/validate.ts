/**
 * Parses wire input with the protocol's zod schemas, for the HTTP and socket layers.
 * @module
 */
import type { z } from "zod";
import { ValidationError } from "./errors.ts";

/** Parses a value with a schema; throws `invalid_payload` listing each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.join("."),
    message: issue.message,
  }));
  throw new ValidationError("Invalid payload", { details });
}
