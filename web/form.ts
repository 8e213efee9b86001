/// <reference lib="dom" />
/**
 * Forms and buttons that call the server: the server's refusal shows in words
 * next to them, and a failure without one (the network) in the fallback's.
 * @module
 */
import { ChatClientError } from "../src/sdk/mod.ts";
import { $ } from "./view.ts";

/** The words to show for a failed call: the server's message, or `fallback`. */
export const refusal = (error: unknown, fallback: string): string =>
  error instanceof ChatClientError ? error.message : fallback;

/**
 * Runs `submit` with the form's fields; on success clears the form and the
 * error, then runs what `submit` returned. On failure the form keeps its input.
 */
export function onSubmit(
  formId: string,
  errorId: string,
  fallback: string,
  submit: (field: (name: string) => string) => Promise<() => Promise<void>>,
): void {
  const form = $<HTMLFormElement>(formId);
  form.onsubmit = async (event) => {
    event.preventDefault();
    try {
      const then = await submit((name) =>
        (form.elements.namedItem(name) as HTMLInputElement).value
      );
      form.reset();
      $(errorId).textContent = "";
      await then();
    } catch (error) {
      $(errorId).textContent = refusal(error, fallback);
    }
  };
}
