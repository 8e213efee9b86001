/**
 * The storage port of files sent with messages. A file is stored when it is
 * uploaded, unclaimed; the message that carries it claims it, and files no
 * stored message carries (never sent, or claimed by a send that was refused)
 * are swept after a while. Bytes are written before the record that makes a
 * file visible, so a crash mid-upload leaves nothing a reader can find, and the
 * sweep removes what it left.
 * @module
 */
import type { MediaInfo, ThumbnailView } from "../protocol/mod.ts";

/**
 * A file uploaded to a chat, as stored (its bytes apart), with what the
 * uploader declared of its media (`MediaInfo`), each field only when declared.
 */
export interface FileRecord extends MediaInfo {
  id: string;
  chatId: string;
  uploaderId: string;
  name: string;
  type: string;
  size: number;
  createdAt: string;
  /** A smaller picture of it, a file of its own, named at upload (`_thumbnails.ts`). */
  thumbnail?: ThumbnailView;
  /** The `clientMsgId` of the uploader's message that carries it; unset until sent. */
  claimedBy?: string;
}

/** A span of a file's bytes: from `start` up to, not including, `end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The part of `range` (all of it when unset) that lies within `length` bytes,
 * as every store reads it: an end past the length stops there, and a start past
 * the end reads nothing.
 */
export function rangeWithin(length: number, range?: ByteRange): ByteRange {
  const end = Math.min(range?.end ?? length, length);
  return { start: Math.min(range?.start ?? 0, end), end };
}

/** Files and their bytes. */
export interface FileStore {
  /**
   * Stores a new file, unclaimed, from its bytes or a stream of them, written as
   * it comes (an upload holds a piece in memory, not the file). A stream that
   * errors fails the put, and what it wrote is removed.
   */
  put(file: FileRecord, bytes: Uint8Array | ReadableStream<Uint8Array>): Promise<void>;
  /** Reads a file's record; null when missing or removed. */
  get(id: string): Promise<FileRecord | null>;
  /**
   * Reads a file's bytes, or with `range` only bytes `start` to `end - 1` (an
   * `end` past the file's length stops at its end), reading little more than
   * those; null when missing or removed.
   */
  read(id: string, range?: ByteRange): Promise<Uint8Array<ArrayBuffer> | null>;
  /**
   * Streams what `read` reads, a piece at a time as the reader pulls, so that a
   * download holds a piece in memory rather than the file; null when missing or
   * removed. A file removed while it streams errors the stream.
   */
  stream(id: string, range?: ByteRange): Promise<ReadableStream<Uint8Array<ArrayBuffer>> | null>;
  /**
   * Marks files as carried by the uploader's message `clientMsgId` and returns
   * them; null when one is missing or carried by another message. Claiming again
   * for the same `clientMsgId` succeeds (a retried send).
   */
  claim(ids: readonly string[], clientMsgId: string): Promise<FileRecord[] | null>;
  /** Removes files and their bytes; idempotent. */
  remove(ids: readonly string[]): Promise<void>;
  /**
   * Looks at up to `limit` of: what an upload or a removal cut short left
   * behind, uploads never claimed made before `before`, and claims made before
   * `before` whose message is not yet seen stored (a claim has a day of its own,
   * so a slow send is not cut short). Removes those no stored message carries.
   * A claimed file is asked about once (`isSent`: is the message that claimed it
   * stored?): kept for good if so, removed if not (a send refused after its
   * claim, or a client that gave up on it). Each file looked at leaves the lists
   * it was read from, so calls again progress. Returns how many it removed, and
   * `more` when it looked at `limit` (others may wait).
   */
  sweep(
    before: string,
    limit: number,
    isSent: (file: FileRecord) => Promise<boolean>,
  ): Promise<{ removed: number; more: boolean }>;
}
