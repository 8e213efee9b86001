/**
 * The client SDK: `ChatClient` over Socket.IO, with an outbox that survives
 * reconnects, acks after your handler, and repeats dropped; plus a small REST
 * helper for login and history, and `keepLoggedIn` to refresh tokens on a
 * timer. Importable from Deno; `deno task build:web` bundles it for browsers.
 *
 * ```ts
 * const { token } = await login("http://localhost:3000", { login: "alice", password: "…" });
 * const client = new ChatClient({ url: "http://localhost:3000", token }).connect();
 * client.on("message", (m) => console.log(m.seq, m.content));
 * await client.send(chatId, "hello");
 * ```
 * @module
 */
export { ChatClient, type ChatClientOptions } from "./client.ts";
export { ChatClientError } from "./errors.ts";
export type { ChatClientEvents, ConnectionState } from "./events.ts";
export {
  type FileToSend,
  localStorageOutbox,
  memoryFileStorage,
  memoryOutbox,
  type OutboxEntry,
  type OutboxFile,
  type OutboxFileStorage,
  type OutboxStorage,
  type SendOptions,
  type UploadProgress,
} from "./outbox.ts";
export { RestClient } from "./rest.ts";
export type { RestOptions } from "./_rest_base.ts";
export type { RestSendOptions } from "./_rest_messages.ts";
export { AppBackendClient, type AppUserProfile } from "./app_backend.ts";
export type { UploadFileOptions } from "./_rest_files.ts";
export type { OnProgress } from "./_progress.ts";
export { keepLoggedIn, type KeepLoggedInOptions } from "./keep_logged_in.ts";
export { ClientEvents, ServerEvents } from "../protocol/events.ts";
export {
  type AppChatEvent,
  type AppChatEventType,
  type AppChatView,
  type AppEvent,
  type AppEventType,
  AppEventTypes,
  type AppMessageEvent,
  type AppMessageEventType,
  type AppUserEvent,
} from "../protocol/app_events.ts";
export type * from "../protocol/objects.ts";
export type * from "../protocol/users.ts";
export type * from "../protocol/payloads.ts";
export type * from "../protocol/reports.ts";
export type { InvitePreview, InviteView } from "../protocol/invites.ts";
export type { AttachmentView, MediaInfo, ThumbnailView, UploadedFile } from "../protocol/files.ts";
export { MAX_MEDIA_DURATION_MS, MAX_MEDIA_PIXELS, MAX_THUMBNAIL_BYTES } from "../protocol/media.ts";
export { type GroupPermissions, MAX_REACTIONS } from "../protocol/schemas.ts";
export type { ErrorBody, ErrorCode } from "../protocol/errors.ts";
