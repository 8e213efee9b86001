/**
 * Accounts and access tokens: register, log in, authenticate, refresh, log out
 * (one login or all), change the password.
 * @module
 */
import type { LoginInput, PasswordChangeInput, RegisterInput } from "../protocol/mod.ts";
import { AccessError, AuthError, ConflictError, ValidationError } from "./errors.ts";
import type { Limits } from "./limits.ts";
import type { TokenClaims, TokenSigner, UserStore } from "./ports.ts";
import { endedByGeneration, type UserRecord } from "./types.ts";
import { dummyHash, hashPassword, verifyPassword } from "./_password.ts";
import type { SessionService } from "./sessions.ts";
import {
  type Issued,
  issued,
  type LoginClient,
  type Principal,
  startLogin,
  SUSPENDED,
  suspendedError,
} from "./_login.ts";

export type { Issued, LoginClient, Principal };

// An account of the app's identity provider has no password to confirm a
// change with: a login made this recently stands in for it, as OpenID
// Connect's `max_age` asks the provider to log the user in afresh.
const RECENT_LOGIN_SECONDS = 5 * 60;
const SIGNUP_CLOSED = { details: { reason: "signup_closed" } };

/** What the auth service uses: users, a token signer, limits and logins. */
export interface AuthDeps {
  users: UserStore;
  tokens: TokenSigner;
  limits: Limits;
  sessions: SessionService;
  /** Whether anyone may register with a password (default), or nobody may. */
  passwordSignup?: "open" | "closed";
}

/** Registers users and issues, checks and revokes their tokens. */
export class AuthService {
  #deps: AuthDeps;

  /** Creates the service. */
  constructor(deps: AuthDeps) {
    this.#deps = deps;
  }

  /**
   * Creates an account; throws `ConflictError` when username or email is taken,
   * `forbidden` when sign-up is closed (the app's identity provider makes them).
   * Registrations are limited per client address.
   */
  async register(input: RegisterInput, client: LoginClient = {}): Promise<Issued> {
    if (this.#deps.passwordSignup === "closed") {
      throw new AccessError("forbidden", "Sign-up is closed", SIGNUP_CLOSED);
    }
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
    return await startLogin(this.#deps, user, client);
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
    // Hash even for unknown logins (and accounts without a password) so response
    // time does not reveal which accounts exist.
    const ok = await verifyPassword(input.password, user?.passwordHash || await dummyHash());
    if (!user || !ok) throw new AuthError("Invalid login or password");
    // Told only to whoever knows the password, so it reveals nothing to others.
    if (user.suspension) throw suspendedError();
    return await startLogin(this.#deps, user, client);
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
    if (!principal.user.passwordHash) {
      throw new AccessError("forbidden", "Account has no password: it logs in through the app", {
        details: { reason: "external" },
      });
    }
    await this.confirmPassword(principal, input.currentPassword, address);
    const passwordHash = await hashPassword(input.newPassword);
    const keep = principal.claims.sid;
    await this.#deps.sessions.endLogins(principal.user, { patch: { passwordHash }, keep });
  }

  /**
   * Checks the caller's password before a change that needs more than a token. A wrong
   * one is `forbidden` and counts against the login limit: a stolen token guesses no faster.
   * An account without a password (the app's identity provider's) needs a login
   * of the last five minutes instead: `forbidden` with `details.reason` "reauthenticate".
   */
  async confirmPassword(
    principal: Principal,
    password: string | undefined,
    address?: string,
  ): Promise<void> {
    if (!principal.user.passwordHash) {
      if (Date.now() / 1000 - principal.claims.authTime <= RECENT_LOGIN_SECONDS) return;
      throw new AccessError("forbidden", "Log in again through the app first", {
        details: { reason: "reauthenticate" },
      });
    }
    if (password === undefined) throw new ValidationError("password is required");
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
}
