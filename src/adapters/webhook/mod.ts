/**
 * Webhook adapters: push notifications and the app's events as signed JSON POSTs.
 * @module
 */
export { type WebhookOptions, WebhookPushSender } from "./push_sender.ts";
export { WebhookEventSender } from "./event_sender.ts";
