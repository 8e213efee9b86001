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
  // A native v4 UUID has v7's layout of random bits after its first 48 (and the
  // same variant); only the time and the version digit differ. It is several
  // times faster than formatting 16 random bytes here, on the path of every send.
  const random = crypto.randomUUID();
  const time = now.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
