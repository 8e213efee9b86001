/**
 * The secrets an embedded server generates when the environment sets none, kept
 * as files in DATA_DIR.
 * @module
 */
import { join } from "node:path";
import { ConfigError } from "./_config_schema.ts";

/**
 * The files in DATA_DIR where the server keeps the secrets it generated when
 * the environment set none: a backup copies them with the store.
 */
export const KEPT_SECRETS = { jwtSecret: "jwt_secret", messageKey: "message_key" } as const;

/**
 * The secret kept in `DATA_DIR/<name>`, generated (`bytes` random bytes, base64)
 * and kept on first use: so tokens and stored messages survive restarts of an
 * embedded server, and nodes sharing the folder agree on one secret.
 */
export async function kept(dataDir: string, name: string, bytes: number): Promise<string> {
  const path = join(dataDir, name);
  try {
    return (await Deno.readTextFile(path)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new ConfigError(`Invalid DATA_DIR: cannot read ${path}`, { cause: error });
    }
  }
  await Deno.mkdir(dataDir, { recursive: true });
  const secret = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
  // Written under a name of its own, then linked into place: the name appears with
  // the whole secret or not at all (a file created and then written could be read
  // empty by a second node starting at that moment), and a link fails when the name
  // exists, so processes starting at once agree on the first secret linked.
  const draft = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(draft, secret, { createNew: true, mode: 0o600 });
    await Deno.link(draft, path);
    return secret;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return (await Deno.readTextFile(path)).trim();
    throw new ConfigError(`Invalid DATA_DIR: cannot write ${path}`, { cause: error });
  } finally {
    await Deno.remove(draft).catch(() => {});
  }
}
