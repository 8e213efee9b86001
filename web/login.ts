/// <reference lib="dom" />
/**
 * The login form: log in or register (the button pressed says which), and show
 * the server's refusal in words, or that it cannot be reached.
 * @module
 */
import { ChatClientError, RestClient } from "../src/sdk/mod.ts";
import { $ } from "./view.ts";

/** Wires the login form; `onSession` gets the token of a successful login or registration. */
export function bindLogin(url: string, onSession: (session: { token: string }) => Promise<void>) {
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
      $("login-error").textContent = error instanceof ChatClientError
        ? error.message
        : "Cannot reach the server";
    }
  };
}
