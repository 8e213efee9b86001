/**
 * Files sent with messages (an extension): the attachment object and the
 * upload's query. A file is uploaded to a chat first
 * (`POST /api/chats/:chatId/files`, the bytes as the body), then sent by naming
 * its id in a message's `attachments`, and read with `GET /api/files/:fileId`.
 * @module
 */
import { z } from "zod";
import { id } from "./_fields.ts";
import { MAX_MEDIA_DURATION_MS, MAX_MEDIA_PIXELS } from "./media.ts";

/**
 * A smaller picture of a file that its uploader made (the server decodes no
 * media), to show in its place until the file is wanted: a phone draws a
 * photo's bubble from a few kilobytes. Its bytes are at `GET /api/files/:id`,
 * readable by whoever reads the file.
 */
export interface ThumbnailView {
  id: string;
  /** An `image/*` type. */
  type: string;
  /** Bytes, at most `MAX_THUMBNAIL_BYTES`. */
  size: number;
  /** Its width in pixels, as declared. */
  width?: number;
  /** Its height in pixels, as declared; set with `width`. */
  height?: number;
}

/** A file as a message carries it; its bytes are at `GET /api/files/:id`. */
export interface AttachmentView {
  id: string;
  /** The file's name as uploaded, without any folder. */
  name: string;
  /** Its media type, from the upload's `Content-Type`. */
  type: string;
  /** Bytes. */
  size: number;
  /** A picture's or video's width in pixels, as its uploader declared it. */
  width?: number;
  /** Its height in pixels, as declared; set with `width`. */
  height?: number;
  /** A sound's or video's length in milliseconds, as declared. */
  durationMs?: number;
  /** A smaller picture of it, when its uploader named one (`thumbnail` on upload). */
  thumbnail?: ThumbnailView;
}

/** What an uploader may declare of a file's media (the server decodes none). */
export type MediaInfo = Pick<AttachmentView, "width" | "height" | "durationMs">;

const pixels = z.coerce.number().int().min(1).max(MAX_MEDIA_PIXELS).optional();

/**
 * `POST /api/chats/:chatId/files` query: the file's name, and what the client
 * knows of its media, so that other clients lay a picture out before its bytes
 * arrive (`width` and `height`, together), and show a voice note's length
 * (`durationMs`, at most a day); `thumbnail` names a smaller picture of it the
 * client uploaded to the chat before (see `ThumbnailView`).
 */
export const uploadQuery = z.object({
  name: z.string().trim().min(1).max(255),
  width: pixels,
  height: pixels,
  durationMs: z.coerce.number().int().min(1).max(MAX_MEDIA_DURATION_MS).optional(),
  thumbnail: id.optional(),
}).refine((q) => (q.width === undefined) === (q.height === undefined), {
  message: "width and height go together",
  path: ["height"],
});

/** The answer to an upload: the file, to be named in a message's `attachments`. */
export interface UploadedFile {
  file: AttachmentView;
}
