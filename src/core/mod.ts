/**
 * The core: delivery logic, types and ports. It imports no adapter and no
 * transport; `createCore` (create.ts) wires its services over the adapters it
 * is given.
 * @module
 */
export * from "./errors.ts";
export type * from "./ports.ts";
export type * from "./types.ts";
export type { Issued, LoginClient, Principal } from "./auth.ts";
export {
  ExternalAuthService,
  type ExternalIdentity,
  type ExternalLogin,
  type ExternalTokenVerifier,
} from "./external_auth.ts";
export type { Limit, LimitOptions } from "./limits.ts";
export type { PushOptions, PushService } from "./push.ts";
export type { AppEventService } from "./app_events.ts";
export type { RetryOptions } from "./_retrying_worker.ts";
export type { DeliverySession, DeviceChannel } from "./session.ts";
export { AccountService } from "./accounts.ts";
export { AuthService } from "./auth.ts";
export { BlockService } from "./blocks.ts";
export { ChatService } from "./chats.ts";
export { DeliveryService } from "./delivery.ts";
export { Departures } from "./departures.ts";
export { FileService } from "./files.ts";
export { GroupService } from "./groups.ts";
export { MessageService } from "./messages.ts";
export { ModerationService } from "./moderation.ts";
export { PinService } from "./pins.ts";
export { PreferenceService } from "./preferences.ts";
export { PresenceService } from "./presence.ts";
export { ReportService } from "./reports.ts";
export { RoleService } from "./roles.ts";
export { SearchService } from "./search.ts";
export { SessionService } from "./sessions.ts";
export { StarService } from "./stars.ts";
export { TimerService } from "./timers.ts";
export { UserService } from "./users.ts";
export {
  type Core,
  type CoreDeps,
  type CoreOptions,
  createCore,
  type JobWorker,
} from "./create.ts";
export { parseWith } from "./validate.ts";
