/**
 * A user's logins ("devices"): each login is recorded when it happens, moves
 * its `lastActiveAt` when its token is refreshed or a socket connects with it,
 * and is listed while it lasts, so the user can see where they are logged in
 * and end a login they do not recognise. Ending one is logging it out: its
 * tokens are refused and its sockets disconnected. All of them end at once on
 * a password change, a "log out everywhere", a deletion or a suspension.
 * @module
 */
import type { SessionView } from "../protocol/mod.ts";
import { AccessError, AuthError } from "./errors.ts";
import type {
  Logger,
  Notifier,
  SessionRecord,
  SessionStore,
  TokenClaims,
  UserPatch,
  UserStore,
} from "./ports.ts";
import type { Principal } from "./auth.ts";
import { endedByGeneration, generationOf, type TokenGeneration, type UserRecord } from "./types.ts";

// A User-Agent is the client's to set: keep no more of it than a list shows.
const MAX_AGENT = 200;

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Records, lists and ends users' logins. */
export class SessionService {
  #users: UserStore;
  #sessions: SessionStore;
  #notifier: Notifier;
  #logger: Logger;
  #ttlSeconds: number;

  /** Creates the service over the user and session stores, the transport and the token lifetime. */
  constructor(
    deps: { users: UserStore; sessions: SessionStore; notifier: Notifier; logger: Logger },
    options: { ttlSeconds: number },
  ) {
    this.#users = deps.users;
    this.#sessions = deps.sessions;
    this.#notifier = deps.notifier;
    this.#logger = deps.logger;
    this.#ttlSeconds = options.ttlSeconds;
  }

  /** Records a new login, by the token it issued. */
  async started(claims: TokenClaims, agent?: string): Promise<void> {
    await this.#sessions.add(record(claims, agent, new Date().toISOString()));
  }

  /**
   * A login's token was refreshed (`claims` is the new one's): it lasts as long
   * as that. A login made before logins were recorded is recorded now.
   */
  refreshed(claims: TokenClaims, agent?: string): Promise<void> {
    const change = { lastActiveAt: new Date().toISOString(), expiresAt: iso(claims.exp) };
    return this.#note(claims, change, agent);
  }

  /**
   * A socket connected with a login's token, as `refreshed` records it; a
   * failure to note it only logs.
   */
  async seen(claims: TokenClaims, agent?: string): Promise<void> {
    try {
      await this.#note(claims, { lastActiveAt: new Date().toISOString() }, agent);
    } catch (error) {
      this.#logger.warn("cannot note session", { error: String(error) });
    }
  }

  /**
   * The caller's logins that still work, the latest active first; `current`
   * marks the caller's own. Logins ended by a password change or "log out
   * everywhere" are left out, as their tokens are refused.
   */
  async list(principal: Principal): Promise<SessionView[]> {
    const live = await this.#live(principal.user);
    return live.sort((a, b) => b.lastActiveAt.localeCompare(a.lastActiveAt)).map((session) => {
      const view: SessionView = {
        id: session.id,
        createdAt: session.createdAt,
        lastActiveAt: session.lastActiveAt,
        expiresAt: session.expiresAt,
        current: session.id === principal.claims.sid,
      };
      if (session.agent) view.agent = session.agent;
      return view;
    });
  }

  /**
   * Ends one of the caller's logins (their own too: a logout): its tokens,
   * refreshed ones included, are refused and its sockets disconnected.
   * `not_found` for an id that is no live login of theirs.
   */
  async end(principal: Principal, id: string): Promise<void> {
    const own = id === principal.claims.sid;
    if (!own && !(await this.#live(principal.user)).some((s) => s.id === id)) {
      throw new AccessError("not_found", "Session not found");
    }
    // A refresh may have issued a token that outlives the caller's, but none
    // outlives a token signed now.
    const until = new Date(Date.now() + this.#ttlSeconds * 1000);
    await this.#users.revokeToken(id, until);
    this.#notifier.endSession(id);
    await this.#sessions.remove(principal.user.id, id);
  }

  /**
   * Raises the user's token generation, with `options.patch` in the same write
   * (returns the user as written),
   * so that tokens of logins made before are refused and their sockets
   * disconnected, but those of the login `keep`. A generation, not a time: a login
   * racing the change is refused or not by what it read, never by a clock's
   * granularity. Two changes at once: the store lets one win and the other is
   * a `ConflictError`, rather than the last one silently undoing the first.
   */
  async endLogins(
    user: UserRecord,
    options: { patch?: UserPatch; keep?: string },
  ): Promise<UserRecord> {
    const generation = generationOf(user);
    const tokens: TokenGeneration = { current: generation + 1 };
    if (options.keep !== undefined) tokens.keptSessionId = options.keep;
    const updated = await this.#users.update(user.id, { ...options.patch, tokens }, {
      generation,
    });
    if (!updated) throw new AuthError("Unknown user");
    this.#notifier.endUserSessions(user.id, { except: options.keep });
    return updated;
  }

  // Moves a login's activity; a login with no record (made before logins were
  // recorded) is recorded now, from its token.
  async #note(
    claims: TokenClaims,
    change: Parameters<SessionStore["touch"]>[2],
    agent: string | undefined,
  ): Promise<void> {
    if (await this.#sessions.touch(claims.sub, claims.sid, change)) return;
    await this.#sessions.add(record(claims, agent, iso(claims.authTime)));
  }

  // The user's logins whose tokens are still accepted (see `AuthService.authenticate`).
  async #live(user: UserRecord): Promise<SessionRecord[]> {
    const sessions = (await this.#sessions.list(user.id))
      .filter((s) => !endedByGeneration(user, { sid: s.id, generation: s.generation }));
    const revoked = await Promise.all(sessions.map((s) => this.#users.isTokenRevoked(s.id)));
    return sessions.filter((_, i) => !revoked[i]);
  }
}

// A login's record, as its token tells it; active now.
function record(claims: TokenClaims, agent: string | undefined, createdAt: string): SessionRecord {
  const session: SessionRecord = {
    id: claims.sid,
    userId: claims.sub,
    generation: claims.generation,
    createdAt,
    lastActiveAt: new Date().toISOString(),
    expiresAt: iso(claims.exp),
  };
  if (agent) session.agent = agent.slice(0, MAX_AGENT);
  return session;
}
