/**
 * The events a `ChatClient` emits, typed from the protocol's own definitions.
 * @module
 */
import type { ErrorBody } from "../protocol/errors.ts";
import type {
  ChatActiveUsersEvent,
  ChatPreferencesEvent,
  ChatReadEvent,
  ChatUpdatedEvent,
  MessageDeletedEvent,
  MessageEditedEvent,
  MessageReactionEvent,
  MessageStarredEvent,
  MessageStatusEvent,
} from "../protocol/payloads.ts";
import type { MessageView } from "../protocol/objects.ts";
import type { OutboxEntry, UploadProgress } from "./outbox.ts";

/**
 * Whether the client is connected (`disconnected` also while the server is out
 * of reach, from the first try), and why not when the server refused the
 * handshake: `unauthorized` (the token; the next `setToken()` reconnects),
 * `unavailable` (the node is stopping, or its store is down) or `rate_limited`
 * (the user holds too many sockets on it). The last two are tried again by
 * themselves, with a growing wait.
 */
export type ConnectionState =
  | "connected"
  | "disconnected"
  | "unauthorized"
  | "unavailable"
  | "rate_limited";

/** Handlers of each client event. */
export type ChatClientEvents = {
  /**
   * A message for this user. The server gets the device's ack only after every
   * handler resolved; a throwing handler leaves it to be delivered again.
   */
  message: (message: MessageView) => void | Promise<void>;
  /** One recipient's tick on a message this user sent. */
  status: (status: MessageStatusEvent) => void;
  /** A contact came online or went offline (`at` is then their last seen). */
  presence: (event: { userId: string; online: boolean; at: string }) => void;
  /** Someone started or stopped typing in a chat. */
  typing: (event: { chatId: string; userId: string; typing: boolean }) => void;
  /**
   * Who has a chat this client opened (`openChat`) open now, on any device but
   * for users who hide their presence: on opening, and after each change.
   */
  activeUsers: (event: ChatActiveUsersEvent) => void;
  /** The connection changed. */
  connection: (state: ConnectionState) => void;
  /** The outbox changed (an entry added or acknowledged, a file uploaded). */
  outbox: (entries: readonly OutboxEntry[]) => void;
  /** An outbox entry's file is being uploaded: its share sent so far, for a progress bar. */
  uploadProgress: (progress: UploadProgress) => void;
  /**
   * A message of this user's was stored: an outbox entry (also ones written before a
   * reload), or one sent from another of the user's devices or over REST.
   */
  sent: (message: MessageView) => void;
  /** This user read a chat on another device: clear its unread messages up to `upToSeq`. */
  read: (event: ChatReadEvent) => void;
  /**
   * This user muted, unmuted, archived or unarchived a chat, here or on another
   * device: `muted` and `archived` are the settings now.
   */
  preferences: (event: ChatPreferencesEvent) => void;
  /** This user starred or unstarred a message, here or on another device. */
  starred: (event: MessageStarredEvent) => void;
  /**
   * The outbox storage failed to load or save (full, say): unsent messages are
   * still sent from memory, but may not outlive the app. Not thrown at `send()`.
   */
  outboxError: (error: unknown) => void;
  /** The server refused an outbox entry for good. */
  failed: (entry: OutboxEntry, error: ErrorBody) => void;
  /**
   * A message was edited. Changes made while this device was away come from
   * `RestClient.changes` instead.
   */
  edited: (event: MessageEditedEvent) => void;
  /** A message was deleted. */
  deleted: (event: MessageDeletedEvent) => void;
  /** A message's reactions changed. */
  reaction: (event: MessageReactionEvent) => void;
  /**
   * A group changed: it was created with this user in it, someone was added,
   * left or was removed, it was renamed (`name`), or its roles changed
   * (`ownerId`, `adminIds`). When this user is not among `participantIds`, they were removed.
   * For a direct chat: one side blocked or unblocked the other (`blocked`), or
   * the other deleted their account (then this user is the only participant).
   */
  participants: (event: ChatUpdatedEvent) => void;
};
