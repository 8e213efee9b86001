/**
 * Socket.IO event names of protocol v1, shared by the server, the tests and the SDK.
 * Renaming one here breaks the build on every side that uses it.
 * @module
 */

/** Events a client emits; each is answered through its acknowledgement callback. */
export const ClientEvents = {
  messageSend: "message:send",
  messageMarkRead: "message:markRead",
  messageEdit: "message:edit",
  messageDelete: "message:delete",
  messageReaction: "message:reaction",
  chatJoin: "chat:join",
  chatLeave: "chat:leave",
  chatTyping: "chat:typing",
  chatStopTyping: "chat:stopTyping",
  userReconnected: "user:reconnected",
  authRenew: "auth:renew",
} as const;

/** Events the server emits. */
export const ServerEvents = {
  messageReceived: "message:received",
  messageSent: "message:sent",
  messageStatus: "message:status",
  messageEdited: "message:edited",
  messageDeleted: "message:deleted",
  messageReactionUpdated: "message:reactionUpdated",
  userOnline: "user:online",
  userOffline: "user:offline",
  userTyping: "user:typing",
  userStoppedTyping: "user:stoppedTyping",
  userJoined: "user:joined",
  userLeft: "user:left",
  chatActiveUsers: "chat:activeUsers",
  chatUpdated: "chat:updated",
  chatRead: "chat:read",
  chatPreferences: "chat:preferences",
  messageStarred: "message:starred",
  authExpired: "auth:expired",
  error: "error",
} as const;

/** The name of a client-to-server event. */
export type ClientEvent = typeof ClientEvents[keyof typeof ClientEvents];
/** The name of a server-to-client event. */
export type ServerEvent = typeof ServerEvents[keyof typeof ServerEvents];
