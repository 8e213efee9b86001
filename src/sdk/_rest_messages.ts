/**
 * `RestClient`'s calls that send, edit and delete messages over REST: for a
 * client without a socket (a notification's reply action, a script) and for
 * your app's backend acting as its users. An app with a socket sends through
 * `ChatClient`, whose outbox survives reconnects and restarts.
 * @module
 */
import type { MessageView } from "../protocol/objects.ts";
import { chatPath, messagePath } from "./_request.ts";
import { ChatClientError, RETRYABLE } from "./errors.ts";
import { retryDelay } from "./_retry.ts";
import { FilesRest } from "./_rest_files.ts";
import type { SendOptions } from "./outbox.ts";

/**
 * What a message sent over REST may carry besides its text: what
 * `ChatClient.send` takes (but files to upload: upload them first), its
 * `clientMsgId`, and how often to try.
 */
export interface RestSendOptions extends Omit<SendOptions, "files"> {
  /**
   * The message's own id, kept by the sender to retry with: a retry is
   * answered with the message stored the first time, never a second copy.
   * Generated here when absent, and kept across this call's own tries.
   */
  clientMsgId?: string;
  /**
   * Tries in all while the network or the server fails for a while (it is
   * restarting, or a limit was reached: then after the time it named), with
   * the same `clientMsgId`; default 5, and 1 tries once.
   */
  attempts?: number;
}

/** Messages over REST (part of `RestClient`). */
export class MessagesRest extends FilesRest {
  /**
   * Sends a message and resolves once it is stored, with its `seq`. A failure
   * of the network or the server is tried again (`options.attempts`); a
   * refusal (a bad message, not a participant) rejects at once.
   */
  async sendMessage(
    chatId: string,
    content: string,
    options: RestSendOptions = {},
  ): Promise<MessageView> {
    const { attempts = 5, ...message } = options;
    const body = { content, ...message, clientMsgId: message.clientMsgId ?? crypto.randomUUID() };
    const path = chatPath(chatId, "messages");
    for (let failures = 0;; failures++) {
      try {
        return (await this.call<{ message: MessageView }>("POST", path, body)).message;
      } catch (error) {
        // A network error is a TypeError from fetch; the server's own are ChatClientErrors.
        const passing = error instanceof TypeError ||
          error instanceof ChatClientError && RETRYABLE.has(error.code);
        if (!passing || failures + 1 >= attempts) throw error;
        const named = error instanceof ChatClientError ? error.retryAfterMs : undefined;
        await new Promise((resolve) => setTimeout(resolve, named ?? retryDelay(failures)));
      }
    }
  }

  /** Edits one of the caller's messages. */
  async editMessage(messageId: string, content: string): Promise<MessageView> {
    return (await this.call<{ message: MessageView }>("PUT", messagePath(messageId), { content }))
      .message;
  }

  /** Deletes one of the caller's messages for everyone (a tombstone stays). */
  async deleteMessage(messageId: string): Promise<void> {
    await this.call("DELETE", messagePath(messageId));
  }
}
