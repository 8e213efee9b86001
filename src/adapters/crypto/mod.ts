/**
 * Encryption of message content at rest with WebCrypto's AES-256-GCM.
 * @module
 */
export { EncryptedMessageStore } from "./encrypted_messages.ts";
export { Keyring, type KeyringOptions } from "./keyring.ts";
