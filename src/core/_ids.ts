/**
 * Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, then
 * random bits. Stores index messages by id; a random (v4) id lands each insert on
 * a random page of that index, which on the embedded KV file made a commit of
 * 300 index writes 9x slower than ids that arrive in order. Version 7 ids keep
 * the inserts at the end of the index and still cannot be guessed.
 * @module
 */

/** A new UUID version 7 string, e.g. `019a9c3e-…`. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = 0x70 | (bytes[6] & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8] & 0x3f); // variant 10
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
