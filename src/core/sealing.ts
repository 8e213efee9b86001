/**
 * What of a message is sealed at rest: its content and the names of its
 * attachments (a file's name can say as much as a sentence). Stores and queues
 * that encrypt go through these two, so every copy of a message is sealed alike.
 * @module
 */
import type { ContentCipher } from "./ports.ts";
import type { MessageRecord } from "./types.ts";

// What is sealed: any message-shaped record, stored or about to be.
type Sealable = Pick<MessageRecord, "id" | "content" | "attachments">;

// Each name is bound to its message and file: moved onto another, it fails to open.
const nameContext = (messageId: string, fileId: string) => `${messageId}/${fileId}`;

/** The message with its content and attachment names encrypted. */
export function sealMessage<T extends Sealable>(cipher: ContentCipher, message: T): Promise<T> {
  return rewrite(message, (text, context) => cipher.encrypt(text, context));
}

/** The message with what `sealMessage` encrypted decrypted. */
export function openMessage<T extends Sealable>(cipher: ContentCipher, message: T): Promise<T> {
  return rewrite(message, (text, context) => cipher.decrypt(text, context));
}

// The message with `change` applied to each sealed text, under that text's context.
async function rewrite<T extends Sealable>(
  message: T,
  change: (text: string, context: string) => Promise<string>,
): Promise<T> {
  const content = await change(message.content, message.id);
  if (!message.attachments) return { ...message, content };
  const attachments = await Promise.all(message.attachments.map(async (a) => ({
    ...a,
    name: await change(a.name, nameContext(message.id, a.id)),
  })));
  return { ...message, content, attachments };
}
