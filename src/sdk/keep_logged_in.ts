/**
 * Token refresh on a timer: a tab or app left open longer than a token's
 * lifetime (7 days by default) would otherwise find its token expired at the
 * next reconnect and its user logged out, though the login itself lasts longer
 * (`SESSION_MAX_AGE_SECONDS`). The new token goes to the REST client and to the
 * socket, which renews with it, or the server would disconnect it at the old
 * token's expiry.
 * @module
 */
import type { AuthSession } from "../protocol/users.ts";
import type { ChatClient } from "./client.ts";
import { ChatClientError } from "./errors.ts";
import type { RestClient } from "./rest.ts";

/** Options of `keepLoggedIn`. */
export interface KeepLoggedInOptions {
  /** When the current token expires: the `expiresAt` of its login, register or refresh. */
  expiresAt: string;
  /**
   * How long before expiry to refresh (default 5 minutes; half the time left
   * when less than that remains).
   */
  aheadMs?: number;
  /** How long to wait after a refresh failed for a reason other than the login (default 30 s). */
  retryMs?: number;
  /** Gets every new session: keep its token where the app stores it. */
  onRefresh?: (session: AuthSession) => void;
  /** The login ended (logged out elsewhere, or at its max age): ask the user to log in. */
  onEnded?: () => void;
}

// setTimeout fires at once beyond 2^31 - 1 ms (24.8 days): longer waits go in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Refreshes the token before it expires, for `rest` and `client` alike, until
 * the returned function is called or the login ends.
 */
export function keepLoggedIn(
  rest: RestClient,
  client: ChatClient | undefined,
  options: KeepLoggedInOptions,
): () => void {
  const aheadMs = options.aheadMs ?? 5 * 60_000;
  const retryMs = options.retryMs ?? 30_000;
  let expiresAt = Date.parse(options.expiresAt);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const at = (time: number, run: () => void) => {
    const wait = Math.max(0, time - Date.now());
    timer = setTimeout(() => {
      if (stopped) return;
      if (wait > MAX_TIMER_MS) at(time, run);
      else run();
    }, Math.min(wait, MAX_TIMER_MS));
  };
  const end = () => {
    stopped = true;
    options.onEnded?.();
  };
  const schedule = () => {
    const left = expiresAt - Date.now();
    at(expiresAt - (left > aheadMs ? aheadMs : left / 2), refresh);
  };

  async function refresh(): Promise<void> {
    let session: AuthSession;
    try {
      session = await rest.refresh();
    } catch (error) {
      if (stopped) return;
      const refused = error instanceof ChatClientError && error.code === "unauthorized";
      if (refused || Date.now() >= expiresAt) return end();
      // Offline or the server is restarting: try again while the token lasts.
      return at(Math.min(Date.now() + retryMs, expiresAt), refresh);
    }
    if (stopped) return;
    rest.setToken(session.token);
    // Not renewed (the socket dropped meanwhile): it reconnects with the new token anyway.
    client?.setToken(session.token).catch(() => {});
    options.onRefresh?.(session);
    const later = Date.parse(session.expiresAt) > expiresAt;
    expiresAt = Date.parse(session.expiresAt);
    // No later expiry: the login reached its max age and ends with this token.
    if (later) schedule();
    else at(expiresAt, end);
  }

  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
