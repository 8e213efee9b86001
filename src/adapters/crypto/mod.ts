/**
 * Encryption of message content at rest with AES-256-GCM (node:crypto).
 * @module
 */
import type { Store } from "../../core/ports.ts";
import { EncryptedMessageStore } from "./encrypted_messages.ts";
import { EncryptedReportStore } from "./encrypted_reports.ts";
import type { Keyring } from "./keyring.ts";

export { EncryptedMessageStore } from "./encrypted_messages.ts";
export { EncryptedReportStore } from "./encrypted_reports.ts";
export { Keyring, type KeyringOptions } from "./keyring.ts";

/** `store` with message content, and the reports' copies of it, encrypted at rest. */
export function encryptedStore(store: Store, keyring: Keyring): Store {
  return {
    ...store,
    messages: new EncryptedMessageStore(store.messages, keyring),
    reports: new EncryptedReportStore(store.reports, keyring),
  };
}
