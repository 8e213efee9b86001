/**
 * The files of outbox entries: their bytes kept in the `OutboxFileStorage`
 * when the message is written, uploaded when its turn comes (so a photo taken
 * offline goes once the client is back, in its place among the messages), each
 * once: its id is saved in the entry, so a retry after a drop sends what is
 * left. The thumbnail goes first, its id into the file's upload.
 * @module
 */
import type { ErrorBody } from "../protocol/errors.ts";
import { ChatClientError, RETRYABLE } from "./errors.ts";
import type { Emitter } from "./_emitter.ts";
import type { ChatClientEvents } from "./events.ts";
import type { FileToSend, OutboxEntry, OutboxFile, OutboxFileStorage } from "./outbox.ts";
import { RestClient } from "./rest.ts";
import { fileNameOf, type UploadFileOptions } from "./_rest_files.ts";

// An upload refused for these is tried again: a token being renewed, the server busy.
const UPLOAD_RETRYABLE = new Set([...RETRYABLE, "unauthorized"]);

// Refused for good: the server will never take it (not the network, not busy).
function refused(e: unknown): e is ChatClientError {
  return e instanceof ChatClientError && !UPLOAD_RETRYABLE.has(e.code);
}

/**
 * What the upload of an entry's files came to: the ids to send, an error that
 * fails the message (refused for good), or to be tried again (after the time
 * the server named, if it named one).
 */
export type Uploaded =
  | { ok: true; ids: string[] }
  | { ok: false; error: ErrorBody }
  | { ok: false; error?: undefined; retryAfterMs?: number };

/** Uploads `blob` to a chat as `RestClient.uploadFile` does; answers the new file's id. */
export type Upload = (chatId: string, blob: Blob, options: UploadFileOptions) => Promise<string>;

/** An `Upload` through `RestClient` at `url`, with the token `token()` answers then. */
export function restUpload(url: string, token: () => string): Upload {
  return async (chatId, blob, options) =>
    (await new RestClient(url, token()).uploadFile(chatId, blob, options)).id;
}

/** Keeps, uploads and drops the files of outbox entries. */
export class OutboxFiles {
  #storage: OutboxFileStorage;
  #upload: Upload;
  #events: Emitter<ChatClientEvents>;
  // Each entry's bytes being put in the storage: its upload waits for them.
  #kept = new Map<string, Promise<unknown>>();
  // The uploads going on, by entry: a cancelled entry's stops.
  #uploading = new Map<string, AbortController>();
  #onError = (error: unknown) => this.#events.notify("outboxError", error);

  /**
   * Creates the files' keeper over `storage`, uploading with `upload`; tells
   * its storage's failures (`outboxError`) and how far uploads got (`uploadProgress`).
   */
  constructor(storage: OutboxFileStorage, upload: Upload, events: Emitter<ChatClientEvents>) {
    this.#storage = storage;
    this.#upload = upload;
    this.#events = events;
  }

  /** Puts the bytes of `files` in the storage; answers what the entry keeps of them. */
  keep(clientMsgId: string, files: readonly FileToSend[]): OutboxFile[] {
    const puts: unknown[] = [];
    const put = (blob: Blob) => {
      const key = crypto.randomUUID();
      puts.push(this.#storage.put(key, blob));
      return key;
    };
    const kept = files.map(({ blob, name, thumbnail, ...media }): OutboxFile => {
      const file: OutboxFile = {
        key: put(blob),
        name: fileNameOf(blob, name),
        ...media,
      };
      if (thumbnail) {
        const { blob: small, ...size } = thumbnail;
        file.thumbnail = { key: put(small), ...size };
      }
      return file;
    });
    // Bytes the storage failed to keep are not found at the upload: the message fails then.
    this.#kept.set(clientMsgId, Promise.all(puts).catch(this.#onError));
    return kept;
  }

  /**
   * Uploads what of `entry`'s files is not uploaded yet, calling `saved` after
   * each; answers the ids to send: its files', then its own `attachments`. The
   * server refusing a file for good fails the message (a thumbnail is left
   * out), as do bytes no longer kept (`not_found`: an outbox read back after
   * the app closed, its files in memory); the network or a busy server has it
   * tried again.
   */
  async upload(entry: OutboxEntry, saved: () => void): Promise<Uploaded> {
    const controller = new AbortController();
    this.#uploading.set(entry.clientMsgId, controller);
    try {
      return { ok: true, ids: await this.#uploadAll(entry, saved, controller.signal) };
    } catch (e) {
      if (!refused(e)) {
        return { ok: false, retryAfterMs: (e as ChatClientError).retryAfterMs };
      }
      return { ok: false, error: { code: e.code, message: e.message, details: e.details } };
    } finally {
      this.#uploading.delete(entry.clientMsgId);
    }
  }

  async #uploadAll(entry: OutboxEntry, saved: () => void, signal: AbortSignal): Promise<string[]> {
    const { clientMsgId } = entry;
    await this.#kept.get(clientMsgId);
    const files = entry.files ?? [];
    for (const file of files) {
      const { key, name, thumbnail, id: _, ...media } = file;
      if (thumbnail && !thumbnail.id) {
        const { width, height } = thumbnail;
        const options = { name: "thumbnail", width, height, signal };
        try {
          thumbnail.id = await this.#send(entry.chatId, thumbnail.key, options);
        } catch (e) {
          if (!refused(e)) throw e;
          // A thumbnail is an extra: refused for good, the file goes without it.
          this.#forget(thumbnail.key);
          delete file.thumbnail;
        }
        saved();
      }
      if (file.id) continue;
      file.id = await this.#send(entry.chatId, key, {
        name,
        ...media,
        thumbnail: file.thumbnail?.id,
        signal,
        onProgress: (sent, total) => {
          this.#events.notify("uploadProgress", { clientMsgId, key, sent, total });
        },
      });
      saved();
    }
    return [...files.map((file) => file.id!), ...entry.attachments ?? []];
  }

  /** Drops the bytes of an entry the server answered, or that was cancelled: its upload stops. */
  drop(entry: OutboxEntry): void {
    this.#uploading.get(entry.clientMsgId)?.abort();
    this.#kept.delete(entry.clientMsgId);
    for (const file of entry.files ?? []) {
      this.#forget(file.key);
      if (file.thumbnail) this.#forget(file.thumbnail.key);
    }
  }

  #forget(key: string): void {
    Promise.resolve().then(() => this.#storage.delete(key)).catch(this.#onError);
  }

  async #send(chatId: string, key: string, options: UploadFileOptions): Promise<string> {
    const blob = await this.#storage.get(key);
    if (!blob) {
      throw new ChatClientError({ code: "not_found", message: "File to send is not kept" });
    }
    return await this.#upload(chatId, blob, options);
  }
}
