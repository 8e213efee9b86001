/**
 * Files sent with messages (an extension): the attachment object and the
 * upload's query. A file is uploaded to a chat first
 * (`POST /api/chats/:chatId/files`, the bytes as the body), then sent by naming
 * its id in a message's `attachments`, and read with `GET /api/files/:fileId`.
 * @module
 */
import { z } from "zod";

/** A file as a message carries it; its bytes are at `GET /api/files/:id`. */
export interface AttachmentView {
  id: string;
  /** The file's name as uploaded, without any folder. */
  name: string;
  /** Its media type, from the upload's `Content-Type`. */
  type: string;
  /** Bytes. */
  size: number;
}

/** `POST /api/chats/:chatId/files` query: the file's name. */
export const uploadQuery = z.object({
  name: z.string().trim().min(1).max(255),
});

/** The answer to an upload: the file, to be named in a message's `attachments`. */
export interface UploadedFile {
  file: AttachmentView;
}
