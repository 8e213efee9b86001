/**
 * Zod schemas of the chat and message payloads a client sends, over REST and
 * the socket (the account's in `account_schemas.ts`, the reports' and the
 * operators' in `reports.ts`).
 * They check shape only; rules that depend on configuration (such as the
 * content length limit) are checked by the core.
 * @module
 */
import { z } from "zod";
import { clientMsgId, id, pictureUrl } from "./_fields.ts";

/** `PUT /api/chats/:chatId/mute` (extension): until when, or with no `until` until unmuted. */
export const muteSchema = z.object({ until: z.iso.datetime({ offset: true }).optional() });

/** `POST /api/chats`. */
export const createChatSchema = z.object({
  type: z.enum(["direct", "group"]),
  participantIds: z.array(id).max(1000),
  name: z.string().trim().min(1).max(100).optional(),
});

const allowed = z.enum(["members", "admins"]);
/**
 * `PUT /api/chats/:chatId/permissions` (an extension): who may add members
 * (`add`) and who may rename the group and pin (`edit`); either or both.
 */
export const permissionsSchema = z.object({
  add: allowed.optional(),
  edit: allowed.optional(),
}).strict().refine((v) => v.add !== undefined || v.edit !== undefined, {
  message: "Name add, edit or both",
});
/** A group's permissions: every member's, or kept for its owner and admins. */
export type GroupPermissions = { add: "members" | "admins"; edit: "members" | "admins" };

/** `PUT /api/chats/:chatId` (an extension): a group's name, description or avatar. */
export const groupProfileSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  /** Extension: what the group is about; null removes it. */
  description: z.string().trim().min(1).max(500).nullable().optional(),
  /** Extension: the group's picture, an http(s) URL; null removes it. */
  avatar: pictureUrl.nullable().optional(),
}).refine((v) => Object.values(v).some((value) => value !== undefined), {
  message: "name, description or avatar is required",
});

/** `GET /api/starred` query (an extension). */
export const starredQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: id.optional(),
});

/** `GET /api/chats` query. */
export const listChatsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
  /** Extension: only archived chats (`true`) or only the others (`false`); all when absent. */
  archived: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});

/**
 * `GET /api/chats/:chatId/messages` query: newest first below `beforeSeq`, or,
 * given `afterSeq`, oldest first above it (and below `beforeSeq` when both are given).
 */
export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  beforeSeq: z.coerce.number().int().min(1).optional(),
  afterSeq: z.coerce.number().int().min(0).optional(),
}).refine(
  (q) => q.afterSeq === undefined || q.beforeSeq === undefined || q.afterSeq < q.beforeSeq,
  {
    message: "afterSeq must be below beforeSeq",
    path: ["afterSeq"],
  },
);

/**
 * `GET /api/chats/:chatId/search` query (extension): messages containing `q`,
 * newest first, below `beforeSeq` when given.
 */
export const searchQuery = z.object({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  beforeSeq: z.coerce.number().int().min(1).optional(),
});

/** `GET /api/chats/:chatId/changes` query: the changes after `afterChangeSeq`, oldest first. */
export const changesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  afterChangeSeq: z.coerce.number().int().min(0).default(0),
});

/** `POST /api/chats/:chatId/messages`: `clientMsgId` is generated when absent. */
export const postMessageSchema = z.object({
  content: z.string(),
  clientMsgId: clientMsgId.optional(),
  replyToId: id.optional(),
  mentions: z.array(id).max(50).optional(),
  forwardOf: id.optional(),
  attachments: z.array(id).min(1).max(10).optional(),
});

/**
 * `message:send`; `replyToId` (extension) quotes an earlier message of the chat,
 * `mentions` (extension) names participants, whom a mute does not silence,
 * `forwardOf` (extension) forwards a message the sender can read, with its content
 * and attachments, `attachments` (extension) carries files the sender uploaded to the chat.
 */
export const sendMessageSchema = z.object({
  chatId: id,
  content: z.string(),
  clientMsgId,
  replyToId: id.optional(),
  mentions: z.array(id).max(50).optional(),
  forwardOf: id.optional(),
  attachments: z.array(id).min(1).max(10).optional(),
});

const upToSeq = { upToSeq: z.number().int().min(1) };
const messageIds = { messageIds: z.array(id).min(1).max(1000) };

/** A read watermark given both ways is refused rather than read as either. */
function oneWay<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (value && typeof value === "object" && "upToSeq" in value && "messageIds" in value) {
      ctx.issues.push({
        code: "custom",
        message: "give upToSeq or messageIds, not both",
        input: value,
      });
    }
    return value;
  }, schema);
}

/** `message:markRead`: a read watermark, by sequence number or by message ids. */
export const markReadSchema = oneWay(z.union([
  z.object({ chatId: id, ...upToSeq }),
  z.object({ chatId: id, ...messageIds }),
]));

/** `POST /api/chats/:chatId/read`: `message:markRead` with the chat in the path. */
export const readBodySchema = oneWay(z.union([z.object(upToSeq), z.object(messageIds)]));

/**
 * `PUT /api/chats/:chatId/timer` (an extension): how long each new message
 * lasts, from 30 seconds to a year, or null for messages that stay.
 */
export const messageTimerSchema = z.object({
  seconds: z.number().int().min(30).max(365 * 86_400).nullable(),
});

/** `POST /api/chats/:chatId/clear`: the last message the device shows. */
export const clearChatSchema = z.object(upToSeq);

/** Chat creation input. */
export type CreateChatInput = z.infer<typeof createChatSchema>;
/** `message:send` input. */
export type SendMessageInput = z.infer<typeof sendMessageSchema>;
/** `message:markRead` input. */
export type MarkReadInput = z.infer<typeof markReadSchema>;

/** `message:edit`. */
export const editMessageSchema = z.object({ messageId: id, content: z.string() });
/** `PUT /api/messages/:id`. */
export const editBodySchema = z.object({ content: z.string() });
/** `message:delete`. */
export const deleteMessageSchema = z.object({ messageId: id });
/**
 * Different emoji one message holds at most (a new one past it is `conflict`):
 * each reaction sends the message's whole map to every participant.
 */
export const MAX_REACTIONS = 50;
/** `message:reaction`: one emoji (or short emoji sequence); the same again removes it. */
export const reactionSchema = z.object({
  messageId: id,
  emoji: z.string().min(1).max(32).regex(/^\S+$/, "one emoji, no spaces"),
});
/** `chat:join`, `chat:leave`, `chat:typing`, `chat:stopTyping`. */
export const chatRefSchema = z.object({ chatId: id });
/** `POST /api/chats/:chatId/participants`. */
export const addParticipantSchema = z.object({ userId: id });
/** `PUT /api/chats/:chatId/owner` (an extension): the member to hand the group to. */
export const setOwnerSchema = addParticipantSchema;
