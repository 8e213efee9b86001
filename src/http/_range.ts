/**
 * Byte ranges of a download (RFC 9110, section 14): a player seeks in a video,
 * a phone resumes a download cut off by a tunnel. One range is served; a request
 * for several gets the whole file, which the RFC allows and no player needs
 * otherwise.
 * @module
 */
import type { ByteRange } from "../core/mod.ts";

const SINGLE = /^bytes=(\d*)-(\d*)$/;

/**
 * The range a `Range` header asks for in a file of `size` bytes, as the store
 * reads it (`end` not included; the header's last byte is): null to serve the
 * whole file (no header, a syntax this does not serve, or several ranges),
 * "unsatisfiable" when it starts past the end (answered 416).
 */
export function byteRange(
  header: string | undefined,
  size: number,
): ByteRange | "unsatisfiable" | null {
  const match = header?.trim().match(SINGLE);
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [first, last] = [match[1], match[2]];
  if (first === "") {
    // A suffix: the last `last` bytes, all of them when the file is shorter.
    const length = Number(last);
    if (length === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size };
  }
  const start = Number(first);
  const end = last === "" ? size : Math.min(Number(last) + 1, size);
  if (last !== "" && Number(last) < start) return null;
  return start < size ? { start, end } : "unsatisfiable";
}

/**
 * Whether the range may be served: without `If-Range`, or with one naming the
 * entity tag the file has (a download resumed against the same file).
 */
export function rangeStillValid(ifRange: string | undefined, etag: string): boolean {
  return ifRange === undefined || ifRange.trim() === etag;
}
