/**
 * AES-256-GCM keys for message content at rest, with WebCrypto. Each ciphertext
 * names its key id, so a new key can be introduced while old messages stay
 * readable under the old ones (rotation without rewriting history).
 * @module
 */

import type { ContentCipher } from "../../core/ports.ts";

const PREFIX = "enc1";

/** Raw keys by id, and which id encrypts new content. */
export interface KeyringOptions {
  currentId: string;
  /** Base64 of 32 random bytes per key id. */
  keys: Record<string, string>;
}

/** Encrypts and decrypts content with AES-256-GCM under named keys. */
export class Keyring implements ContentCipher {
  #currentId: string;
  #keys: Map<string, CryptoKey>;

  private constructor(currentId: string, keys: Map<string, CryptoKey>) {
    this.#currentId = currentId;
    this.#keys = keys;
  }

  /** Imports the keys; throws when one is not 32 bytes or the current id has none. */
  static async create(options: KeyringOptions): Promise<Keyring> {
    const keys = new Map<string, CryptoKey>();
    for (const [id, raw] of Object.entries(options.keys)) {
      const bytes = Uint8Array.from(atob(raw), (c) => c.charCodeAt(0));
      if (bytes.length !== 32) throw new Error(`Cannot import key ${id}: it must be 32 bytes`);
      keys.set(
        id,
        await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]),
      );
    }
    if (!keys.has(options.currentId)) {
      throw new Error(`Cannot encrypt: no key with id ${options.currentId}`);
    }
    return new Keyring(options.currentId, keys);
  }

  /**
   * Encrypts `text` as `enc1.<keyId>.<iv>.<ciphertext>`. `context` (the message id)
   * is authenticated with it, so a ciphertext moved to another message fails to open.
   */
  async encrypt(text: string, context: string): Promise<string> {
    if (text === "") return text;
    // A fresh random 96-bit IV per encryption, as GCM requires.
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
      this.#keys.get(this.#currentId)!,
      new TextEncoder().encode(text),
    );
    return [PREFIX, this.#currentId, b64(iv), b64(new Uint8Array(data))].join(".");
  }

  /** Decrypts what `encrypt` made; content stored before encryption passes through. */
  async decrypt(stored: string, context: string): Promise<string> {
    if (!stored.startsWith(`${PREFIX}.`)) return stored;
    const [, keyId, iv, data] = stored.split(".");
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`Cannot decrypt message: key ${keyId} is not configured`);
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: unb64(iv), additionalData: new TextEncoder().encode(context) },
      key,
      unb64(data),
    );
    return new TextDecoder().decode(plain);
  }
}

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replaceAll(
    "=",
    "",
  );
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(
    atob(text.replaceAll("-", "+").replaceAll("_", "/")),
    (c) => c.charCodeAt(0),
  );
}
