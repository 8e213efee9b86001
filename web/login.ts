/// <reference lib="dom" />
/**
 * The page's login: the form (log in or register, the button pressed says
 * which, with the server's refusal in words, or that it cannot be reached), and
 * the token saved for the next load.
 * @module
 */
import { type AuthSession, ChatClientError, RestClient } from "../src/sdk/mod.ts";
import { refusal } from "./form.ts";
import { $ } from "./view.ts";

const SAVED = "chat.session";

/**
 * The login saved by an earlier load, refreshed rather than only checked: a
 * page opened once a token lifetime stays logged in. Undefined when there is
 * none or the server cannot be reached now.
 */
export async function resumeLogin(url: string): Promise<AuthSession | undefined> {
  const saved = localStorage.getItem(SAVED);
  if (!saved) return undefined;
  try {
    return await new RestClient(url, JSON.parse(saved).token).refresh();
  } catch (error) {
    // Only a refused token ends the login: a server that is down keeps it for the next load.
    if (error instanceof ChatClientError && error.code === "unauthorized") forgetLogin();
    return undefined;
  }
}

/** Saves the login's newest token for the next load. */
export function saveLogin(token: string): void {
  localStorage.setItem(SAVED, JSON.stringify({ token }));
}

/** Forgets the saved login: the next load shows the form. */
export function forgetLogin(): void {
  localStorage.removeItem(SAVED);
}

/** Shows the login form, or else the app of a logged-in user. */
export function showLoginForm(shown: boolean): void {
  $("login").hidden = !shown;
  $("app").hidden = shown;
}

/** Wires the login form; `onSession` gets a successful login or registration. */
export function bindLogin(url: string, onSession: (session: AuthSession) => Promise<void>) {
  $<HTMLFormElement>("login-form").onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const action = (event.submitter as HTMLButtonElement).value;
    const login = String(form.get("login")), password = String(form.get("password"));
    try {
      const session = action === "register"
        ? await RestClient.register(url, {
          username: login,
          email: String(form.get("email")),
          password,
        })
        : await RestClient.login(url, { login, password });
      await onSession(session);
    } catch (error) {
      $("login-error").textContent = refusal(error, "Cannot reach the server");
    }
  };
}
