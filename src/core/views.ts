/**
 * Turns stored records into the objects clients see (protocol `objects.ts`).
 * @module
 */
import type {
  ChatUpdatedEvent,
  ChatView,
  MessageStatus,
  MessageView,
  UserView,
} from "../protocol/mod.ts";
import type {
  ChatRecord,
  MembershipRecord,
  MessageRecord,
  Mute,
  StoredMessage,
  UserRecord,
} from "./types.ts";
import { adminsOf, ownerOf, permissionsOf } from "./roles.ts";

/** What the viewer may see of a user. */
export interface UserViewOptions {
  /** The viewer is the user: shows email. */
  self: boolean;
  /** The viewer is a friend, chat partner or the user: shows presence. */
  showPresence: boolean;
  online: boolean;
}

/** A user as a viewer may see them. */
export function toUserView(user: UserRecord, options: UserViewOptions): UserView {
  const view: UserView = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    createdAt: user.createdAt,
  };
  if (user.avatar) view.avatar = user.avatar;
  if (options.self) view.email = user.email;
  if (options.self && user.hidePresence) view.hidePresence = true;
  if (options.self && user.readReceipts === false) view.readReceipts = false;
  if (user.deletedAt) view.deleted = true;
  // A user who hides their presence shows it to themself only.
  else if (options.showPresence && (options.self || !user.hidePresence)) {
    view.isOnline = options.online;
    view.lastSeen = user.lastSeen ?? null;
  }
  return view;
}

/** Aggregated status: `read` or `delivered` once every recipient got there. */
export function statusOf(message: StoredMessage): MessageStatus {
  const recipients = message.recipientIds.length;
  if (message.counts.read >= recipients) return "read";
  if (message.counts.delivered >= recipients) return "delivered";
  return "sent";
}

/**
 * Who looks at a message. A user who sends no read receipts sees none either
 * (`hidesReads`): their own messages show delivered at most.
 */
export interface Viewer {
  id: string;
  hidesReads: boolean;
}

/** The viewer a user record makes. */
export function viewerOf(user: Pick<UserRecord, "id" | "readReceipts">): Viewer {
  return { id: user.id, hidesReads: user.readReceipts === false };
}

/**
 * A message as clients see it; `isNew` is false for backlog and history. Its
 * status as `viewer` may see it, when given.
 */
export function toMessageView(
  message: MessageRecord | StoredMessage,
  isNew: boolean,
  viewer?: Viewer,
): MessageView {
  const status = "counts" in message ? statusOf(message) : "sent";
  return {
    id: message.id,
    clientMsgId: message.clientMsgId,
    chatId: message.chatId,
    senderId: message.senderId,
    seq: message.seq,
    content: message.deleted ? "" : message.content,
    createdAt: message.createdAt,
    ...(message.editedAt ? { editedAt: message.editedAt } : {}),
    ...(message.deleted ? { deleted: true } : {}),
    reactions: message.reactions ?? {},
    ...(message.changeSeq ? { changeSeq: message.changeSeq } : {}),
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(message.forwarded ? { forwarded: true as const } : {}),
    ...(message.mentions ? { mentions: message.mentions } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.expiresAt ? { expiresAt: message.expiresAt } : {}),
    status: status === "read" && hidesReadOf(viewer, message) ? "delivered" : status,
    isNew,
  };
}

/** Whether `viewer` may not see reads of `message`: theirs, with their receipts off. */
export function hidesReadOf(viewer: Viewer | undefined, message: { senderId: string }): boolean {
  return viewer?.hidesReads === true && message.senderId === viewer.id;
}

/**
 * A chat as one participant sees it, with its last message and the count of
 * unread messages that address them when the caller read them.
 */
export function toChatView(
  chat: ChatRecord,
  membership: MembershipRecord,
  options: { lastMessage?: StoredMessage; unreadMentions?: number; viewer?: Viewer } = {},
): ChatView {
  const { lastMessage } = options;
  const view: ChatView = {
    id: chat.id,
    type: chat.type,
    participantIds: chat.participantIds,
    createdAt: chat.createdAt,
    unreadCount: unreadCountOf(chat, membership),
    version: chat.version ?? 0,
  };
  if (chat.name !== undefined) view.name = chat.name;
  if (chat.description !== undefined) view.description = chat.description;
  if (chat.avatar !== undefined) view.avatar = chat.avatar;
  if (chat.type === "group") {
    view.ownerId = ownerOf(chat);
    view.adminIds = adminsOf(chat);
    view.permissions = permissionsOf(chat);
  }
  if (isBlocked(chat)) view.blocked = true;
  if (chat.messageTimer) view.messageTimer = chat.messageTimer;
  if (isMuted(membership.muted)) view.muted = { ...membership.muted };
  if (membership.archived) view.archived = true;
  if (membership.pinnedAt) view.pinned = true;
  if (membership.clearedSeq) view.clearedSeq = membership.clearedSeq;
  if (membership.markedUnread) view.markedUnread = true;
  if (chat.pinned) view.pinnedMessageIds = chat.pinned;
  if (lastMessage) view.lastMessage = toMessageView(lastMessage, false, options.viewer);
  if (options.unreadMentions) view.unreadMentions = options.unreadMentions;
  return view;
}

/** Other people's messages after the member's read watermark. */
export function unreadCountOf(chat: ChatRecord, membership: MembershipRecord): number {
  return Math.max(0, chat.lastSeq - membership.readSeq - membership.ownAfterRead);
}

/** Whether a mute holds at `now`: it has no end, or its end is still ahead. */
export function isMuted(muted: Mute | undefined, now = Date.now()): boolean {
  return muted !== undefined && (muted.until === undefined || Date.parse(muted.until) > now);
}

/**
 * Whether one participant of a direct chat blocked the other (`blockedBy`): then
 * nobody writes to it, and its view says `blocked`.
 */
export function isBlocked(chat: ChatRecord): boolean {
  return (chat.blockedBy?.length ?? 0) > 0;
}

/**
 * Whether a direct chat lost its other participant, who deleted their account:
 * then it takes no more messages, and its view has one participant.
 */
export function isEnded(chat: ChatRecord): boolean {
  return chat.type === "direct" && chat.participantIds.length < 2;
}

/**
 * The `chat:updated` payload for a chat as it is now: a group's members, name
 * and roles, or whether a direct chat is blocked. Null (the chat is gone) has no
 * participants.
 */
export function toChatUpdatedEvent(chatId: string, chat: ChatRecord | null): ChatUpdatedEvent {
  const [participantIds, version] = [chat?.participantIds ?? [], chat?.version ?? 0];
  const event: ChatUpdatedEvent = { chatId, participantIds, version };
  if (chat?.type === "direct") event.blocked = isBlocked(chat);
  else {
    event.name = chat?.name;
    if (chat?.description !== undefined) event.description = chat.description;
    if (chat?.avatar !== undefined) event.avatar = chat.avatar;
  }
  if (chat?.type === "group" && chat.participantIds.length > 0) {
    event.ownerId = ownerOf(chat);
    event.adminIds = adminsOf(chat);
    event.permissions = permissionsOf(chat);
  }
  if (chat?.pinned) event.pinnedMessageIds = chat.pinned;
  if (chat?.messageTimer) event.messageTimer = chat.messageTimer;
  return event;
}
