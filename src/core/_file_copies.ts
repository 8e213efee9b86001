/**
 * The copies a forward makes of a message's files: each file, and its
 * thumbnail, becomes a new unclaimed upload of the forwarder's in the other
 * chat, which the forward then claims, so each copy lives and goes with its own
 * message.
 * @module
 */
import type { AttachmentView } from "../protocol/mod.ts";
import { AccessError } from "./errors.ts";
import type { FileRecord, FileStore } from "./ports.ts";
import { uuidv7 } from "./_ids.ts";
import { declaredBody } from "./_upload.ts";

// What a copy keeps of its source; the rest is the forward's.
type Source = Omit<FileRecord, "chatId" | "uploaderId" | "createdAt" | "claimedBy">;

/** Copies `attachments` for `senderId`'s forward into `chatId`; returns the copies' ids. */
export async function copyFiles(
  files: FileStore,
  target: { senderId: string; chatId: string },
  attachments: readonly AttachmentView[],
): Promise<string[]> {
  const copy = async (source: Source): Promise<string> => {
    const file: FileRecord = {
      ...source,
      id: uuidv7(),
      chatId: target.chatId,
      uploaderId: target.senderId,
      createdAt: new Date().toISOString(),
    };
    await copyBytes(files, source.id, file);
    return file.id;
  };
  const ids: string[] = [];
  for (const { thumbnail, ...attachment } of attachments) {
    // A thumbnail's own name is of no use to anyone; its copy is named for what it is.
    const copied = thumbnail &&
      { ...thumbnail, id: await copy({ ...thumbnail, name: "thumbnail" }) };
    ids.push(await copy(copied ? { ...attachment, thumbnail: copied } : attachment));
  }
  return ids;
}

// Streamed from one to the other: a copy holds a piece of the file at a time.
async function copyBytes(files: FileStore, fromId: string, file: FileRecord): Promise<void> {
  const notFound = () => new AccessError("not_found", "File of the forwarded message not found");
  const source = await files.stream(fromId);
  if (!source) throw notFound();
  // Removed while it is copied (its message deleted): not found, as before it.
  await files.put(file, declaredBody(source, file.size, notFound));
}
