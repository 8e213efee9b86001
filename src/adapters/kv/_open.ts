/**
 * Opening the embedded store's KV file (its job queues use the store's handle).
 * @module
 */

/**
 * Opens the KV file at `path`. Processes that open one file at the same moment
 * can find it locked while another sets it up (seen when two nodes start
 * together): SQLite's lock, held for milliseconds, so it waits and tries again
 * for a few seconds before giving up.
 */
export async function openKvFile(path: string): Promise<Deno.Kv> {
  for (let attempt = 1;; attempt++) {
    try {
      return await Deno.openKv(path);
    } catch (error) {
      if (attempt >= 50 || !String(error).includes("database is locked")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80));
    }
  }
}
