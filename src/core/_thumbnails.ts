/**
 * Thumbnails (an extension): a smaller picture of a file, which the uploader
 * made and uploaded to the same chat first, then named in the file's upload.
 * It is a file of its own that goes wherever its file goes: claimed by the same
 * message (so the same members read it, and the sweep keeps it), removed with
 * it, copied with a forward. The server decodes no media, so it checks what it
 * can: a picture type every client draws, at most `MAX_THUMBNAIL_BYTES`, not
 * sent yet, and no thumbnail of its own.
 * @module
 */
import { type AttachmentView, MAX_THUMBNAIL_BYTES, type ThumbnailView } from "../protocol/mod.ts";
import { AccessError, ConflictError, ValidationError } from "./errors.ts";
import type { FileRecord, FileStore } from "./ports.ts";

// Pictures every browser and phone draws, none of which can carry script (SVG can).
const THUMBNAIL_TYPE = /^image\/(png|jpeg|gif|webp|avif)$/;

/** The thumbnail `id` that `uploaderId` names for a new file in `chatId`, checked. */
export async function thumbnailFor(
  files: FileStore,
  uploaderId: string,
  chatId: string,
  id: string,
): Promise<ThumbnailView> {
  const file = await files.get(id);
  if (!file || file.uploaderId !== uploaderId || file.chatId !== chatId) {
    throw new AccessError("not_found", "Thumbnail not found");
  }
  if (file.claimedBy) throw new ConflictError("Thumbnail is attached to a message");
  const problem = !THUMBNAIL_TYPE.test(file.type)
    ? "must be a PNG, JPEG, GIF, WebP or AVIF picture"
    : file.size > MAX_THUMBNAIL_BYTES
    ? `must be at most ${MAX_THUMBNAIL_BYTES} bytes`
    : file.thumbnail
    ? "must not have a thumbnail of its own"
    : null;
  if (problem) {
    throw new ValidationError(`Thumbnail ${problem}`, {
      details: [{ path: "thumbnail", message: problem }],
    });
  }
  const { type, size, width, height } = file;
  return { id, type, size, ...(width && height ? { width, height } : {}) };
}

/**
 * The ids a message claims for `files`: theirs and their thumbnails', each
 * once. A thumbnail gone meanwhile (never sent, so swept a day after its
 * upload) refuses the send, as a missing file does.
 */
export async function withThumbnails(
  store: FileStore,
  files: readonly FileRecord[],
): Promise<string[]> {
  const ids = new Set(files.map((file) => file.id));
  for (const { thumbnail } of files) {
    if (!thumbnail || ids.has(thumbnail.id)) continue;
    if (!await store.get(thumbnail.id)) {
      throw new AccessError("not_found", "Thumbnail of a file to attach not found");
    }
    ids.add(thumbnail.id);
  }
  return [...ids];
}

/** The ids of the files of `attachments` and of their thumbnails. */
export function idsWithThumbnails(attachments: readonly AttachmentView[]): string[] {
  return attachments.flatMap((a) => a.thumbnail ? [a.id, a.thumbnail.id] : [a.id]);
}
