/**
 * `RestClient`'s calls on files sent with messages: an upload to a chat, with
 * what the app knows of its media, and a download.
 * @module
 */
import type { AttachmentView, MediaInfo, UploadedFile } from "../protocol/files.ts";
import type { OnProgress } from "./_progress.ts";
import { chatPath, request, requestBlob } from "./_request.ts";
import { SettingsRest } from "./_rest_settings.ts";

/** What an upload says of its file besides its bytes and type. */
export interface UploadFileOptions extends MediaInfo {
  /** Its name; by default the File's own, or "file". */
  name?: string;
  /**
   * The id of a smaller picture of it, uploaded to the chat first (an `image/*`
   * of at most `MAX_THUMBNAIL_BYTES`), which clients show until the file is wanted.
   */
  thumbnail?: string;
  /**
   * Called as the bytes go, with how many of how many went: in browsers and
   * React Native as they go, elsewhere once, at the end (`_progress.ts`).
   */
  onProgress?: OnProgress;
  /** Stops the upload: it rejects with an `AbortError` (as `fetch` does). */
  signal?: AbortSignal;
}

/** The name a file is uploaded under: `name` when given, else the File's own, or "file". */
export function fileNameOf(file: Blob, name?: string): string {
  return name ?? (file instanceof File ? file.name : "file");
}

/** Files sent with messages (part of `RestClient`). */
export class FilesRest extends SettingsRest {
  /**
   * Uploads a file to a chat, to be sent by naming it in `send`'s
   * `attachments` (within a day, or it is removed). Its type is the Blob's;
   * its name is `options.name` (or `options` itself, a string), or the File's
   * own. Declare a picture's `width` and `height` and a recording's
   * `durationMs`, so that other clients lay it out before its bytes arrive,
   * and a large picture's `thumbnail`, and follow it with `onProgress`. At
   * most `MAX_FILE_BYTES`.
   */
  async uploadFile(
    chatId: string,
    file: Blob,
    options: string | UploadFileOptions = {},
  ): Promise<AttachmentView> {
    const { name, onProgress, signal, ...media } = typeof options === "string"
      ? { name: options }
      : options;
    const path = chatPath(chatId, "files", { name: fileNameOf(file, name), ...media });
    const body = { method: "POST", body: file, token: this.token, onProgress, signal };
    return (await request<UploadedFile>(this.url, this.route(path), body)).file;
  }

  /** A file sent in a chat of the user's, as a Blob of its type. */
  async downloadFile(fileId: string): Promise<Blob> {
    const path = `/api/files/${encodeURIComponent(fileId)}`;
    return await requestBlob(this.url, this.route(path), { method: "GET", token: this.token });
  }
}
