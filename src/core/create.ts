/**
 * `createCore`: the core's services built over the adapters they are given,
 * each wired to the others it needs.
 * @module
 */
import { AccountService } from "./accounts.ts";
import { AuthService } from "./auth.ts";
import { BlockService } from "./blocks.ts";
import { ChatService } from "./chats.ts";
import { GroupService } from "./groups.ts";
import { SessionService } from "./sessions.ts";
import { ExportService } from "./exports.ts";
import { ExternalAuthService } from "./external_auth.ts";
import { FileService } from "./files.ts";
import { InviteService } from "./invites.ts";
import { ReportService } from "./reports.ts";
import { DeliveryService } from "./delivery.ts";
import { MessageService } from "./messages.ts";
import { ModerationService } from "./moderation.ts";
import { PreferenceService } from "./preferences.ts";
import { PinService } from "./pins.ts";
import { RoleService } from "./roles.ts";
import { SearchService } from "./search.ts";
import { StarService } from "./stars.ts";
import { TimerService } from "./timers.ts";
import { Limits } from "./limits.ts";
import { PresenceService } from "./presence.ts";
import { PushService } from "./push.ts";
import { AppEventService } from "./app_events.ts";
import { UserService } from "./users.ts";
import type { CoreDeps, CoreOptions, JobWorker } from "./_core_deps.ts";

export type { CoreDeps, CoreOptions, JobWorker };

/** The core's services. */
export interface Core {
  auth: AuthService;
  /** Set when logins through the app's identity provider are configured. */
  externalAuth?: ExternalAuthService;
  /** A user's logins, to list them and end one. */
  sessions: SessionService;
  /** Copies of users' data. */
  exports: ExportService;
  /** Deleting accounts. */
  accounts: AccountService;
  users: UserService;
  /** Whom a user blocked. */
  blocks: BlockService;
  chats: ChatService;
  /** A group's participants and name. */
  groups: GroupService;
  /** A group's owner and admins. */
  roles: RoleService;
  /** Groups' invite links. */
  invites: InviteService;
  /** Members muting a chat's push notifications or archiving it. */
  preferences: PreferenceService;
  /** Messages pinned in a chat. */
  pins: PinService;
  /** Finding messages by their text. */
  search: SearchService;
  /** Each user's starred messages. */
  stars: StarService;
  /** Reports of abuse, and their list for the operators. */
  reports: ReportService;
  /** The operators' actions: suspensions and taking messages down. */
  moderation: ModerationService;
  delivery: DeliveryService;
  messages: MessageService;
  /** Files sent with messages. */
  files: FileService;
  /** Disappearing messages: chats' timers and the sweep of what expired. */
  timers: TimerService;
  presence: PresenceService;
  /** The rate limits, for what a transport counts itself (REST requests). */
  limits: Limits;
  /** Set when push notifications are configured. */
  push?: PushService;
  /** Set when the app's events webhook is configured. */
  events?: AppEventService;
}

/** Builds the core's services over adapters. */
export function createCore(deps: CoreDeps, options: CoreOptions): Core {
  const users = new UserService(deps.store, deps.presence);
  const limits = new Limits(deps, options.limits);
  const events = deps.events &&
    new AppEventService({ ...deps, ...deps.events }, deps.events.options);
  const chats = new ChatService({ ...deps, users, events }, {
    maxGroupSize: options.maxGroupSize,
    directChatPolicy: options.directChatPolicy,
    groupAddPolicy: options.groupAddPolicy,
  });
  // The delivery service needs push, which needs this service: reading goes through it later.
  const preferences = new PreferenceService({
    ...deps,
    chats,
    markRead: (userId, read) => delivery.markRead(userId, read),
  });
  const push = deps.push &&
    new PushService({ ...deps, ...deps.push, preferences }, deps.push.options);
  const { users: userStore, sessions: sessionStore } = deps.store;
  const sessions = new SessionService({ ...deps, users: userStore, sessions: sessionStore }, {
    ttlSeconds: deps.tokens.ttlSeconds,
  });
  const { passwordSignup } = options;
  const auth = new AuthService({ ...deps, users: userStore, limits, sessions, passwordSignup });
  const verifier = deps.externalTokens;
  const externalAuth = verifier &&
    new ExternalAuthService({ ...deps, users: userStore, sessions, verifier });
  const groups = new GroupService({ ...deps, users, chats }, {
    maxGroupSize: options.maxGroupSize,
    groupAddPolicy: options.groupAddPolicy,
  });
  const pins = new PinService({ ...deps, chats });
  const files = new FileService({ ...deps, chats, limits }, { maxFileBytes: options.maxFileBytes });
  const messages = new MessageService({
    ...deps,
    chats,
    pins,
    files,
    events,
    maxMessageChars: options.maxMessageChars,
  });
  const delivery: DeliveryService = new DeliveryService(
    { ...deps, limits, chats, push, files, events },
    {
      maxMessageChars: options.maxMessageChars,
      window: options.deliveryWindow,
      pageSize: options.backlogPageSize,
    },
  );
  return {
    auth,
    externalAuth,
    sessions,
    exports: new ExportService({ ...deps, users, chats, sessions, limits }),
    accounts: new AccountService({ ...deps, auth, sessions, users, groups, events }),
    users,
    blocks: new BlockService({ ...deps, users, chats }),
    chats,
    groups,
    roles: new RoleService({ ...deps, chats, groups }),
    invites: new InviteService({ ...deps, users, chats, groups }),
    preferences,
    pins,
    search: new SearchService({ ...deps, chats, limits }),
    stars: new StarService({ ...deps, chats }),
    reports: new ReportService({ ...deps, users, chats, limits }),
    moderation: new ModerationService({ ...deps, sessions, messages }),
    messages,
    files,
    timers: new TimerService({ ...deps, chats, messages }),
    delivery,
    presence: new PresenceService({ ...deps, users }, { graceMs: options.presenceGraceMs }),
    limits,
    push,
    events,
  };
}
