/**
 * Logins through the app's own identity provider. The app's backend, or a
 * provider such as Auth0, Firebase or Cognito, signs a short-lived token for its
 * user; the server checks it (`ExternalTokenVerifier`) and starts a login of the
 * account whose id is the token's subject, made on its first login. So the app's
 * user ids are the chat's, and such an account has no password and no email
 * here: the app keeps those.
 * @module
 */
import { registerSchema } from "../protocol/mod.ts";
import { AccessError, AuthError, ConflictError, UnavailableError } from "./errors.ts";
import type { TokenSigner, UserStore } from "./ports.ts";
import type { UserRecord } from "./types.ts";
import type { SessionService } from "./sessions.ts";
import {
  type Issued,
  type LoginClient,
  passwordAccountError,
  startLogin,
  suspendedError,
} from "./_login.ts";

/** Whom a valid token of the provider names, and what it says of them. */
export interface ExternalIdentity {
  /** The user's id at the provider (`sub`): the account's id here. */
  subject: string;
  /** The username wanted (`preferred_username`); a taken or invalid one gets a random tail. */
  username?: string;
  /** The display name (`name`), kept in step at every login. */
  displayName?: string;
  /** The avatar's URL (`picture`), kept in step at every login. */
  avatar?: string;
}

/** Checks the tokens of the app's identity provider (`adapters/jwt/` checks JWTs). */
export interface ExternalTokenVerifier {
  /**
   * The identity a token names. Throws `UnavailableError` when the provider's
   * keys cannot be read, and any other error when the token is not valid.
   */
  verify(token: string): Promise<ExternalIdentity>;
}

/** A login through the provider, and whether it made the account. */
export interface ExternalLogin extends Issued {
  created: boolean;
}

/** What logins through the provider use. */
export interface ExternalAuthDeps {
  users: UserStore;
  tokens: TokenSigner;
  sessions: SessionService;
  verifier: ExternalTokenVerifier;
}

// A taken name gets a random tail; four tries make a clash every time all but impossible.
const ATTEMPTS = 4;

function usernameFor(wanted: string | undefined, attempt: number): string {
  const valid = wanted !== undefined && registerSchema.shape.username.safeParse(wanted).success;
  if (valid && attempt === 0) return wanted;
  const tail = crypto.randomUUID().slice(0, 8);
  return `${valid ? wanted.slice(0, 23) : "user"}_${tail}`;
}

// The profile fields the token states and the account does not have yet.
function profileChange(user: UserRecord, identity: ExternalIdentity) {
  const patch: Partial<Pick<UserRecord, "displayName" | "avatar">> = {};
  const { displayName, avatar } = identity;
  if (displayName !== undefined && displayName !== user.displayName) {
    patch.displayName = displayName;
  }
  if (avatar !== undefined && avatar !== user.avatar) patch.avatar = avatar;
  return Object.keys(patch).length > 0 ? patch : null;
}

function deletedError(): AccessError {
  return new AccessError("forbidden", "Account was deleted", { details: { reason: "deleted" } });
}

/** Logs users in with tokens of the app's identity provider. */
export class ExternalAuthService {
  #deps: ExternalAuthDeps;

  /** Creates the service. */
  constructor(deps: ExternalAuthDeps) {
    this.#deps = deps;
  }

  /**
   * Starts a login of the account the token names, making it at the first
   * login. Throws `AuthError` for a token that is not valid, `UnavailableError`
   * when the provider's keys cannot be read, `forbidden` for a suspended or
   * deleted account, and `ConflictError` when a password account has the id.
   */
  async login(token: string, client: LoginClient = {}): Promise<ExternalLogin> {
    let identity: ExternalIdentity;
    try {
      identity = await this.#deps.verifier.verify(token);
    } catch (cause) {
      if (cause instanceof UnavailableError) throw cause;
      throw new AuthError("Invalid or expired token of the identity provider", { cause });
    }
    const { user, created } = await this.provision(identity);
    if (user.suspension) throw suspendedError();
    return { ...await startLogin(this.#deps, user, client), created };
  }

  /**
   * The account of an identity, made when missing, its profile brought in
   * step; at a login, and for the app's backend to make an account before its
   * user's first login (`PUT /api/admin/users/:userId`), so others can start
   * a chat with them. Throws as `login` does for a deleted account or a
   * password account's id.
   */
  async provision(identity: ExternalIdentity): Promise<{ user: UserRecord; created: boolean }> {
    const found = await this.#deps.users.get(identity.subject);
    const { user, created } = found
      ? { user: found, created: false }
      : await this.#create(identity);
    // A deleted account keeps its id for its messages' sake, so it cannot come back.
    if (user.deletedAt) throw deletedError();
    // Only the provider's own accounts: a password account is not taken over by an id.
    if (!user.external) {
      throw new ConflictError("A password account has this id: it cannot log in through the app");
    }
    const patch = profileChange(user, identity);
    return { user: patch ? await this.#deps.users.update(user.id, patch) ?? user : user, created };
  }

  /**
   * The account the app's backend acts as (`/api/app/users/:userId/...`): one
   * of the provider's, as live as a login needs it. Throws `not_found` for an
   * unknown id, and `forbidden` with `details.reason` "deleted", "suspended"
   * or "password_account": people who registered here with a password are not
   * the app's to act for, and the operators' suspension holds for the app too.
   */
  async actingAs(userId: string): Promise<UserRecord> {
    const user = await this.#deps.users.get(userId);
    if (!user) throw new AccessError("not_found", "User not found");
    if (user.deletedAt) throw deletedError();
    if (!user.external) throw passwordAccountError();
    if (user.suspension) throw suspendedError();
    return user;
  }

  /**
   * A login of the app's user `userId` started by the app's backend
   * (`POST /api/app/users/:userId/login`), for a bot of the app on a socket:
   * its messages arrive as on any device, in order and acknowledged. Whom it
   * may log in as, and the refusals, are `actingAs`'s.
   */
  async loginAs(userId: string, client: LoginClient = {}): Promise<Issued> {
    return await startLogin(this.#deps, await this.actingAs(userId), client);
  }

  // The account of a first login; of two first logins at once, one makes it.
  async #create(identity: ExternalIdentity): Promise<{ user: UserRecord; created: boolean }> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const username = usernameFor(identity.username, attempt);
      const user: UserRecord = {
        id: identity.subject,
        username,
        displayName: identity.displayName ?? username,
        createdAt: new Date().toISOString(),
        external: true,
      };
      if (identity.avatar) user.avatar = identity.avatar;
      try {
        await this.#deps.users.create(user);
        return { user, created: true };
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        const made = await this.#deps.users.get(identity.subject);
        if (made) return { user: made, created: false };
      }
    }
    throw new ConflictError("Cannot create the account: its usernames were taken");
  }
}
