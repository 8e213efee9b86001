/**
 * Starting a login, as a password and the app's identity provider both do: its
 * first token, and its place in the user's list of logins.
 * @module
 */
import { AccessError } from "./errors.ts";
import type { TokenClaims, TokenSigner } from "./ports.ts";
import { generationOf, type UserRecord } from "./types.ts";
import type { SessionService } from "./sessions.ts";

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

/** A signed token as register, login and refresh answer it. */
export function issued(signed: { token: string; claims: TokenClaims }, user: UserRecord): Issued {
  return { token: signed.token, expiresAt: new Date(signed.claims.exp * 1000).toISOString(), user };
}

/**
 * The refusal of a login to an account the operators suspended: `forbidden`
 * with `details.reason` "suspended", so an app can say so rather than "wrong password".
 */
export function suspendedError(): AccessError {
  return new AccessError("forbidden", "Account is suspended", SUSPENDED);
}

/**
 * The refusal of the app's backend acting for an account registered here with
 * a password: `forbidden` with `details.reason` "password_account". Such people
 * are not the app's users, whose accounts its identity provider made.
 */
export function passwordAccountError(): AccessError {
  return new AccessError("forbidden", "A password account: the app cannot act for it", {
    details: { reason: "password_account" },
  });
}

/** The `details` of a refusal that names the suspension. */
export const SUSPENDED = { details: { reason: "suspended" } };

/** A new login of `user`: its first token, recorded in the user's list of logins. */
export async function startLogin(
  deps: { tokens: TokenSigner; sessions: SessionService },
  user: UserRecord,
  client: LoginClient,
): Promise<Issued> {
  const signed = await deps.tokens.sign(user.id, { generation: generationOf(user) });
  await deps.sessions.started(signed.claims, client.agent);
  return issued(signed, user);
}
