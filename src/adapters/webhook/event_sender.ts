/**
 * The app's events to its backend: one signed JSON POST per event, its id in
 * the `webhook-id` header so that a receiver drops what a retry repeats. Any
 * answer other than 2xx counts as a failure and is tried again.
 * @module
 */
import type { AppEvent } from "../../protocol/mod.ts";
import type { JobSender } from "../../core/ports.ts";
import type { WebhookOptions } from "./push_sender.ts";
import { signedPost } from "./_signed_post.ts";

/** Sends the app's events as JSON POSTs. */
export class WebhookEventSender implements JobSender<AppEvent> {
  #options: WebhookOptions;

  /** Creates the sender. */
  constructor(options: WebhookOptions) {
    this.#options = options;
  }

  send(event: AppEvent): Promise<void> {
    return signedPost(event.id, event, { ...this.#options, what: "app event" });
  }
}
