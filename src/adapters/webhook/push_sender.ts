/**
 * Push notifications to a webhook: one JSON POST per notification, with the
 * seed's FCM payload fields, signed when a secret is set. Any answer other than
 * 2xx counts as a failure.
 * @module
 */
import type { JobSender, PushJob } from "../../core/ports.ts";
import { signedPost } from "./_signed_post.ts";

/** Options of a webhook sender. */
export interface WebhookOptions {
  url: string;
  /** Abort a request that takes longer. */
  timeoutMs: number;
  /** Signs each request (Standard Webhooks): `whsec_` and the key in base64. */
  secret?: string;
}

/** Sends push jobs as JSON POSTs. */
export class WebhookPushSender implements JobSender<PushJob> {
  #options: WebhookOptions;

  /** Creates the sender. */
  constructor(options: WebhookOptions) {
    this.#options = options;
  }

  send(job: PushJob): Promise<void> {
    // One id per notification, so a receiver drops the copy of a retry whose answer was lost.
    const id = `push_${job.messageId}_${job.recipientId}`;
    return signedPost(id, job, { ...this.#options, what: "push notification" });
  }
}
