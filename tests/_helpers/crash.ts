/**
 * The state a crash leaves behind, written into a stopped server's own Deno KV
 * file with the real store, for tests of what the server does about it.
 * @module
 */
import { openKvStore } from "../../src/adapters/kv/mod.ts";
import type { TestUser } from "./client.ts";

/** The claims of a token, read without checking it (the test made it). */
function claimsOf(token: string): { sid: string } {
  return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}

/**
 * Writes what the first step of an account deletion writes (the mark, and only
 * the deleting login's tokens counting) into `${dataDir}/chat.kv`: a deletion
 * cut off right after it. The server must be stopped.
 */
export async function markDeleted(
  dataDir: string,
  { user, token }: TestUser,
  deletedAt: Date = new Date(),
): Promise<void> {
  const store = await openKvStore({ path: `${dataDir}/chat.kv` });
  try {
    await store.users.update(user.id, {
      deletedAt: deletedAt.toISOString(),
      tokens: { current: 1, keptSessionId: claimsOf(token).sid },
    });
  } finally {
    await store.close();
  }
}

/**
 * Moves a disappearing message's `expiresAt` to the past in a stopped server's
 * `${dataDir}/chat.kv`, with the index entry the store keeps for it: what time
 * does to it, without the test waiting for its timer.
 */
export async function expireNow(dataDir: string, messageId: string): Promise<void> {
  const store = await openKvStore({ path: `${dataDir}/chat.kv` });
  try {
    const past = new Date(Date.now() - 1000).toISOString();
    await store.messages.updateMessage(messageId, (m) => ({ ...m, expiresAt: past }));
  } finally {
    await store.close();
  }
}
