/**
 * Message content rules: 1 to `max` characters (code points) after trimming.
 * @module
 */
import { ValidationError } from "./errors.ts";

/** Trims content and checks its length; throws `invalid_payload` or `payload_too_large`. */
export function normalizeContent(content: string, max: number): string {
  const trimmed = content.trim();
  if (trimmed.length === 0) throw new ValidationError("Message content is empty");
  let chars = 0;
  for (const _ of trimmed) {
    if (++chars > max) {
      throw new ValidationError(`Message content exceeds ${max} characters`, { tooLarge: true });
    }
  }
  return trimmed;
}
