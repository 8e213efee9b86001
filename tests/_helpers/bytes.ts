/**
 * Byte arrays in tests. `assert.deepEqual` on a megabyte renders the whole
 * array in its failure message, which takes minutes; `assertSameBytes` says
 * where the two first differ instead. `readStream` reads a store's stream.
 * @module
 */
import assert from "node:assert/strict";

/** Asserts that `actual` holds exactly the bytes of `expected`. */
export function assertSameBytes(
  actual: Uint8Array | null | undefined,
  expected: Uint8Array,
  label = "bytes",
): void {
  assert.ok(actual, `${label}: got ${actual}, expected ${expected.length} bytes`);
  const length = Math.min(actual.length, expected.length);
  let at = 0;
  while (at < length && actual[at] === expected[at]) at++;
  if (at === length && actual.length === expected.length) return;
  assert.fail(
    `${label}: ${actual.length} bytes against ${expected.length}, first different at ${at}`,
  );
}

/**
 * The bytes of a stream, or null for none. Through a Blob, not a Response: a
 * server started in the test process replaces the global Response with the Node
 * adapter's, whose `bytes()` fails on a stream it did not make.
 */
export async function readStream(
  stream: ReadableStream<Uint8Array<ArrayBuffer>> | null,
): Promise<Uint8Array | null> {
  return stream && await new Blob(await Array.fromAsync(stream)).bytes();
}
