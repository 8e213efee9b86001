/**
 * Files sent with messages. A member uploads a file to a chat they may write
 * to; it waits, unclaimed, until a message of theirs in that chat names it
 * (`attachments`), which claims it for good. Only members of the chat read it,
 * and an unclaimed file only its uploader. Deleting the message removes its
 * files; a forward copies them into the other chat, so each file belongs to one
 * message. Uploads never sent are swept after `UNCLAIMED_TTL_MS`. A file may
 * name a thumbnail, which goes with it (`_thumbnails.ts`).
 * @module
 */
import type { AttachmentView, MediaInfo } from "../protocol/mod.ts";
import { type ChatService, readableBy } from "./chats.ts";
import { AccessError, ConflictError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import type { ByteRange, FileRecord, Metrics, Store } from "./ports.ts";
import type { MembershipRecord } from "./types.ts";
import { copyFiles } from "./_file_copies.ts";
import { uuidv7 } from "./_ids.ts";
import { idsWithThumbnails, thumbnailFor, withThumbnails } from "./_thumbnails.ts";
import {
  declaredBody,
  fileName,
  mediaOf,
  mediaType,
  undeclaredBody,
  uploadSize,
} from "./_upload.ts";

/** How long an upload waits for the message that sends it: a day, for a slow composer. */
export const UNCLAIMED_TTL_MS = 24 * 3_600_000;

/** A file as messages carry it. */
export function toAttachment(file: FileRecord): AttachmentView {
  const { id, name, type, size, thumbnail } = file;
  return { id, name, type, size, ...mediaOf(file), ...(thumbnail ? { thumbnail } : {}) };
}

/** Uploads, reads, claims and removes files. */
export class FileService {
  #store: Store;
  #chats: ChatService;
  #limits: Limits;
  #metrics: Metrics;
  #maxBytes: number;

  /** Creates the service; `maxFileBytes` is the largest file accepted. */
  constructor(
    deps: { store: Store; chats: ChatService; limits: Limits; metrics: Metrics },
    options: { maxFileBytes: number },
  ) {
    this.#store = deps.store;
    this.#chats = deps.chats;
    this.#limits = deps.limits;
    this.#metrics = deps.metrics;
    this.#maxBytes = options.maxFileBytes;
  }

  /**
   * Stores a file in a chat the user may write to, unclaimed until a message
   * sends it, with the `media` its uploader declares and the `thumbnail` they
   * uploaded for it. `body` is read as the store writes it, and must hold `size`
   * bytes; without one it is read whole first.
   */
  async upload(
    userId: string,
    chatId: string,
    input: {
      name: string;
      type: string;
      size?: number;
      body: Uint8Array | ReadableStream<Uint8Array>;
      media?: MediaInfo;
      thumbnail?: string;
    },
  ): Promise<AttachmentView> {
    uploadSize(input.size, this.#maxBytes);
    const name = fileName(input.name);
    await this.#chats.requireWritable(chatId, userId);
    const thumbnail = input.thumbnail &&
      await thumbnailFor(this.#store.files, userId, chatId, input.thumbnail);
    await this.#limits.upload(userId);
    let { body, size } = input;
    if (size === undefined) {
      body = body instanceof Uint8Array ? body : await undeclaredBody(body, this.#maxBytes);
      size = uploadSize(body.length, this.#maxBytes);
    }
    const file: FileRecord = {
      id: uuidv7(),
      chatId,
      uploaderId: userId,
      name,
      type: mediaType(input.type),
      size,
      ...mediaOf(input.media ?? {}),
      ...(thumbnail ? { thumbnail } : {}),
      createdAt: new Date().toISOString(),
    };
    await this.#store.files.put(file, declaredBody(body, size));
    this.#metrics.count("uploads");
    return toAttachment(file);
  }

  /**
   * A file for its uploader while a member of its chat, and for the members who
   * may read the message that sent it (`readableBy`: not one added to a group
   * after it). Its bytes are streamed when asked for (`stream()`, or a range of
   * them), so an answer that needs none (a 304, a HEAD) reads and decrypts
   * nothing, and a download holds a piece of the file at a time.
   */
  async open(
    userId: string,
    fileId: string,
  ): Promise<{
    file: AttachmentView;
    stream: (range?: ByteRange) => Promise<ReadableStream<Uint8Array<ArrayBuffer>>>;
  }> {
    const file = await this.#store.files.get(fileId);
    const member = file && await this.#store.chats.getMembership(file.chatId, userId);
    const visible = member && (file.uploaderId === userId || await this.#readable(file, member));
    if (!file || !visible) throw new AccessError("not_found", "File not found");
    const stream = async (range?: ByteRange) => {
      const read = await this.#store.files.stream(fileId, range);
      if (!read) throw new AccessError("not_found", "File not found"); // removed meanwhile
      return read;
    };
    return { file: toAttachment(file), stream };
  }

  // The stored message that claimed and carries the file; none for a file not sent, claimed
  // by a send that was refused, or by a retry of a stored message that named other files.
  async #message(file: FileRecord): Promise<{ seq: number } | null> {
    if (!file.claimedBy) return null;
    const message = await this.#store.messages.getByClientMsgId(file.uploaderId, file.claimedBy);
    const carried = idsWithThumbnails(message?.attachments ?? []).includes(file.id);
    return message?.chatId === file.chatId && carried ? message : null;
  }

  async #readable(file: FileRecord, membership: MembershipRecord): Promise<boolean> {
    const message = await this.#message(file);
    return !!message && readableBy(membership, message);
  }

  /**
   * Claims the sender's uploads to `chatId` for the message `clientMsgId`, in the
   * order named, with their thumbnails; refused when one is not theirs there or
   * another message has it.
   */
  async attach(
    senderId: string,
    chatId: string,
    ids: readonly string[],
    clientMsgId: string,
  ): Promise<AttachmentView[]> {
    const unique = [...new Set(ids)];
    const files = await Promise.all(unique.map((id) => this.#store.files.get(id)));
    if (files.some((f) => !f || f.uploaderId !== senderId || f.chatId !== chatId)) {
      throw new AccessError("not_found", "File to attach not found");
    }
    const withThumbs = await withThumbnails(this.#store.files, files as FileRecord[]);
    const claimed = await this.#store.files.claim(withThumbs, clientMsgId);
    if (!claimed) throw new ConflictError("File is attached to another message");
    return claimed.slice(0, unique.length).map(toAttachment);
  }

  /**
   * Copies a message's files, and their thumbnails, into another chat for the
   * sender's forward of it; returns the copies' ids.
   */
  copy(
    senderId: string,
    chatId: string,
    attachments: readonly AttachmentView[],
  ): Promise<string[]> {
    return copyFiles(this.#store.files, { senderId, chatId }, attachments);
  }

  /** Removes the files of a deleted message, and their thumbnails. */
  async discard(attachments: readonly AttachmentView[] | undefined): Promise<void> {
    if (attachments?.length) await this.#store.files.remove(idsWithThumbnails(attachments));
  }

  /**
   * Removes uploads no stored message carries `UNCLAIMED_TTL_MS` after `now`:
   * never sent, or claimed by a send that was refused; returns how many. Every
   * file passes the sweep's index once (sent ones too, to be checked), so it
   * goes on in batches of `limit` until none is left: a busy hour's files would
   * otherwise pile up faster than one batch an hour takes them.
   */
  async sweep(now = new Date(), limit = 500): Promise<number> {
    const before = new Date(now.getTime() - UNCLAIMED_TTL_MS).toISOString();
    const isSent = async (file: FileRecord) => !!await this.#message(file);
    let total = 0;
    for (let more = true; more;) {
      const batch = await this.#store.files.sweep(before, limit, isSent);
      total += batch.removed;
      more = batch.more;
    }
    return total;
  }
}
