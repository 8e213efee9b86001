/**
 * `RestClient`'s calls on a user's own settings of a chat: pin it to the top,
 * archive it, mute it, mark it unread, clear its history. Each resolves with the
 * chat as the caller sees it now, and the caller's other devices' `ChatClient`s
 * emit `preferences`.
 * @module
 */
import type { ChatView } from "../protocol/objects.ts";
import { chatPath } from "./_request.ts";
import { GroupRest } from "./_rest_groups.ts";

/** A user's own settings of a chat (part of `RestClient`). */
export class SettingsRest extends GroupRest {
  /**
   * Pins a chat to the top of the caller's list (at most five) or, with
   * `pinned` false, unpins it; the chat shows `pinned`.
   */
  pinChat(chatId: string, pinned = true): Promise<ChatView> {
    return this.callChat(pinned ? "PUT" : "DELETE", chatPath(chatId, "pin"));
  }

  /**
   * Archives a chat for the caller (out of the main list; it still gets
   * messages) or, with `archived` false, brings it back; the chat shows `archived`.
   */
  archiveChat(chatId: string, archived = true): Promise<ChatView> {
    return this.callChat(archived ? "PUT" : "DELETE", chatPath(chatId, "archive"));
  }

  /**
   * Mutes a chat's push notifications for the caller, until `until` or until
   * `unmuteChat`; messages still arrive and count as unread.
   */
  muteChat(chatId: string, options: { until?: Date } = {}): Promise<ChatView> {
    return this.callChat("PUT", chatPath(chatId, "mute"), { until: options.until?.toISOString() });
  }

  /** Lifts the caller's mute of a chat. */
  unmuteChat(chatId: string): Promise<ChatView> {
    return this.callChat("DELETE", chatPath(chatId, "mute"));
  }

  /**
   * Marks a chat unread for the caller, to come back to it (the chat shows
   * `markedUnread`), or with `marked` false lifts the mark; reading the chat
   * lifts it too.
   */
  markUnread(chatId: string, marked = true): Promise<ChatView> {
    return this.callChat(marked ? "PUT" : "DELETE", chatPath(chatId, "unread"));
  }

  /**
   * Clears a chat's history for the caller alone, up to `upToSeq`: the last
   * message the device shows, so one that arrives meanwhile stays. It counts as
   * read; the chat shows `clearedSeq`, and history starts after it.
   */
  clearChat(chatId: string, upToSeq: number): Promise<ChatView> {
    return this.callChat("POST", chatPath(chatId, "clear"), { upToSeq });
  }
}
