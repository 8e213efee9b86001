/**
 * Encryption of message content and files at rest with AES-256-GCM (node:crypto).
 * @module
 */
import type { Store } from "../../core/ports.ts";
import { EncryptedFileStore } from "./encrypted_files.ts";
import { EncryptedMessageStore } from "./encrypted_messages.ts";
import { EncryptedReportStore } from "./encrypted_reports.ts";
import type { Keyring } from "./keyring.ts";

export { EncryptedFileStore } from "./encrypted_files.ts";
export { EncryptedMessageStore } from "./encrypted_messages.ts";
export { EncryptedReportStore } from "./encrypted_reports.ts";
export { Keyring, type KeyringOptions } from "./keyring.ts";

/** `store` with message content, the reports' copies of it and files encrypted at rest. */
export function encryptedStore(store: Store, keyring: Keyring): Store {
  return {
    ...store,
    messages: new EncryptedMessageStore(store.messages, keyring),
    reports: new EncryptedReportStore(store.reports, keyring),
    files: new EncryptedFileStore(store.files, keyring),
  };
}
