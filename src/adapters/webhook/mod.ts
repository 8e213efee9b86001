/**
 * Push notifications to a webhook: one JSON POST per notification, with the
 * seed's FCM payload fields. Any answer other than 2xx counts as a failure.
 * @module
 */
import type { JobSender, PushJob } from "../../core/ports.ts";

/** Options of the webhook sender. */
export interface WebhookOptions {
  url: string;
  /** Abort a request that takes longer. */
  timeoutMs: number;
}

/** Sends push jobs as JSON POSTs. */
export class WebhookPushSender implements JobSender<PushJob> {
  #options: WebhookOptions;

  /** Creates the sender. */
  constructor(options: WebhookOptions) {
    this.#options = options;
  }

  async send(job: PushJob): Promise<void> {
    const res = await fetch(this.#options.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(job),
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    });
    await res.body?.cancel();
    if (!res.ok) {
      throw new Error(`Cannot deliver push notification: webhook answered ${res.status}`);
    }
  }
}
