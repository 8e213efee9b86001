/**
 * Accounts and access tokens: register, log in, authenticate, refresh, log out
 * (one login or all), change the password.
 * @module
 */
import type { LoginInput, PasswordChangeInput, RegisterInput } from "../protocol/mod.ts";
import { AccessError, AuthError, ConflictError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import type { TokenClaims, TokenSigner, UserStore } from "./ports.ts";
import { endedByGeneration, generationOf, type UserRecord } from "./types.ts";
import { dummyHash, hashPassword, verifyPassword } from "./_password.ts";
import type { SessionService } from "./sessions.ts";

const SUSPENDED = { details: { reason: "suspended" } };

/**
 * The refusal of a login to an account the operators suspended: `forbidden`
 * with `details.reason` "suspended", so an app can say so rather than "wrong password".
 */
function suspendedError(): AccessError {
  return new AccessError("forbidden", "Account is suspended", SUSPENDED);
}

// A signed token as register, login and refresh answer it.
function issued(signed: { token: string; claims: TokenClaims }, user: UserRecord): Issued {
  return { token: signed.token, expiresAt: new Date(signed.claims.exp * 1000).toISOString(), user };
}

/** An authenticated caller. */
export interface Principal {
  user: UserRecord;
  claims: TokenClaims;
}

/** A token just issued, with its user. */
export interface Issued {
  token: string;
  /** When the token expires (ISO 8601): refresh before then to stay logged in. */
  expiresAt: string;
  user: UserRecord;
}

/** Who is logging in: the client's address (for the login and sign-up limits) and `User-Agent`. */
export interface LoginClient {
  address?: string;
  /** Shown in the user's list of logins. */
  agent?: string;
}

/** What the auth service uses: users, a token signer, limits and logins. */
export interface AuthDeps {
  users: UserStore;
  tokens: TokenSigner;
  limits: Limits;
  sessions: SessionService;
}

/** Registers users and issues, checks and revokes their tokens. */
export class AuthService {
  #deps: AuthDeps;

  /** Creates the service. */
  constructor(deps: AuthDeps) {
    this.#deps = deps;
  }

  /**
   * Creates an account; throws `ConflictError` when username or email is taken.
   * Registrations are limited per client address.
   */
  async register(input: RegisterInput, client: LoginClient = {}): Promise<Issued> {
    await this.#deps.limits.register(client.address);
    if (
      await this.#deps.users.findByLogin(input.username) ||
      await this.#deps.users.findByLogin(input.email)
    ) {
      throw new ConflictError("Username or email is already taken");
    }
    const user: UserRecord = {
      id: crypto.randomUUID(),
      username: input.username,
      email: input.email.toLowerCase(),
      displayName: input.username,
      passwordHash: await hashPassword(input.password),
      createdAt: new Date().toISOString(),
    };
    await this.#deps.users.create(user);
    return await this.#issue(user, client);
  }

  /**
   * Checks a password; the same `unauthorized` answer for unknown login and wrong
   * password. Attempts are limited per account and per client address.
   */
  async login(input: LoginInput, client: LoginClient = {}): Promise<Issued> {
    const login = input.email ?? input.username ?? "";
    await this.#deps.limits.login(login, client.address);
    const found = await this.#deps.users.findByLogin(login);
    // A deleted account (or one being deleted) answers as an unknown login.
    const user = found?.deletedAt ? null : found;
    // Hash even for unknown logins so response time does not reveal which accounts exist.
    const ok = await verifyPassword(input.password, user?.passwordHash ?? await dummyHash());
    if (!user || !ok) throw new AuthError("Invalid login or password");
    // Told only to whoever knows the password, so it reveals nothing to others.
    if (user.suspension) throw suspendedError();
    return await this.#issue(user, client);
  }

  /** Resolves a bearer token to its user; throws `AuthError` when bad, expired or revoked. */
  async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) throw new AuthError();
    let claims: TokenClaims;
    try {
      claims = await this.#deps.tokens.verify(token);
    } catch (cause) {
      throw new AuthError("Invalid or expired token", { cause });
    }
    if (await this.#deps.users.isTokenRevoked(claims.sid)) throw new AuthError("Token was revoked");
    const user = await this.#deps.users.get(claims.sub);
    if (!user) throw new AuthError("Unknown user");
    // The suspension ended these logins already (`SessionService.endLogins`); this says why.
    if (user.suspension) throw new AuthError("Account is suspended", SUSPENDED);
    // While an account is deleted only the login deleting it counts (it may have to
    // ask again); a tombstone keeps no login, so then none does.
    if (user.deletedAt && claims.sid !== user.tokens?.keptSessionId) {
      throw new AuthError("Account was deleted");
    }
    if (endedByGeneration(user, claims)) {
      throw new AuthError("Token was revoked by a password change");
    }
    return { user, claims };
  }

  /**
   * A new token for the caller's session, with a full lifetime, so an app that
   * refreshes before expiry keeps its user logged in, up to the login's max age
   * (then the user logs in again). The caller's token stays valid until it
   * expires: a refresh whose answer was lost costs nothing.
   */
  async refresh(principal: Principal, client: LoginClient = {}): Promise<Issued> {
    const signed = await this.#deps.tokens.sign(principal.user.id, principal.claims);
    await this.#deps.sessions.refreshed(signed.claims, client.agent);
    return issued(signed, principal.user);
  }

  /**
   * Ends the caller's session: its tokens, refreshed ones included, are refused on
   * REST and its sockets disconnected. Other sessions of the user stay.
   */
  logout(principal: Principal): Promise<void> {
    return this.#deps.sessions.end(principal, principal.claims.sid);
  }

  /**
   * Changes the caller's password and ends the user's other logins: their tokens
   * are refused from now on and their sockets disconnected; the caller's login
   * stays. The current password is confirmed first (`confirmPassword`).
   */
  async changePassword(
    principal: Principal,
    input: PasswordChangeInput,
    address?: string,
  ): Promise<void> {
    await this.confirmPassword(principal, input.currentPassword, address);
    const passwordHash = await hashPassword(input.newPassword);
    const keep = principal.claims.sid;
    await this.#deps.sessions.endLogins(principal.user, { patch: { passwordHash }, keep });
  }

  /**
   * Checks the caller's password before a change that needs more than a token. A wrong
   * one is `forbidden` and counts against the login limit: a stolen token guesses no faster.
   */
  async confirmPassword(principal: Principal, password: string, address?: string): Promise<void> {
    await this.#deps.limits.login(principal.user.username, address);
    if (!await verifyPassword(password, principal.user.passwordHash)) {
      throw new AccessError("forbidden", "Current password is wrong");
    }
  }

  /**
   * Ends every login of the caller's user, the caller's own included: their
   * tokens are refused from now on and their sockets disconnected (a lost or
   * stolen device). Logging in again starts a login that counts.
   */
  async logoutEverywhere(principal: Principal): Promise<void> {
    await this.#deps.sessions.endLogins(principal.user, {});
  }

  // A new login: its first token, and its place in the user's list of logins.
  async #issue(user: UserRecord, client: LoginClient): Promise<Issued> {
    const signed = await this.#deps.tokens.sign(user.id, { generation: generationOf(user) });
    await this.#deps.sessions.started(signed.claims, client.agent);
    return issued(signed, user);
  }
}
