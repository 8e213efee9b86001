/**
 * Encryption of message content at rest with AES-256-GCM (node:crypto).
 * @module
 */
export { EncryptedMessageStore } from "./encrypted_messages.ts";
export { Keyring, type KeyringOptions } from "./keyring.ts";
