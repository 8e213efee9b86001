/**
 * Real servers for tests: in-process on port 0, or as a child process that a
 * test can SIGKILL. Each gets its own temporary DATA_DIR unless given one.
 * @module
 */
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { type RunningServer, startServer } from "../../src/main.ts";

/** A server started for a test. */
export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  close(): Promise<void>;
}

/** The JWT secret of every test server, to sign tokens as the server would. */
export const SECRET = "test-secret-0123456789abcdef0123456789";
/** The operators' token (`ADMIN_TOKEN`) of test servers that open the admin routes. */
export const ADMIN_TOKEN = "admin-token-0123456789abcdef0123456789";
/** The app backend's token (`APP_BACKEND_TOKEN`) of test servers that open `/api/app`. */
export const APP_BACKEND_TOKEN = "app-backend-token-0123456789abcdef01234";
// A test's RabbitMQ queues expire a minute after their last use, not a day: a day of test
// runs once left a thousand durable queues, and a broker restart stalled reopening them.
const QUEUE_TTL = { OFFLINE_TTL_MS: "60000" };
// Every test's users sign up from 127.0.0.1: the sign-up limit is tested where it is set.
// Contacts hear of a departure at once: the grace before it is tested where it is set.
const DEFAULTS = { SIGNUP_LIMIT: "1000000", PRESENCE_GRACE_MS: "0" };

/**
 * Starts the real server in this process on port 0; its log lines (at `LOG_LEVEL`,
 * error unless set) go to `options.log`, or nowhere.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { log?: (line: string) => void } = {},
): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? await Deno.makeTempDir({ prefix: "chat-test-" });
  const config = await loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: SECRET,
    LOG_LEVEL: "error",
    ...QUEUE_TTL,
    ...DEFAULTS,
    ...env,
    DATA_DIR: dataDir,
  });
  const server: RunningServer = await startServer(
    config,
    createLogger(config.logLevel, options.log ?? (() => {})),
  );
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    dataDir,
    async close() {
      await server.close();
      if (!env.DATA_DIR) await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** A server running as a child process. */
export interface ChildServer {
  url: string;
  /** The process id (to read its memory use). */
  pid: number;
  /**
   * Stops the process: SIGKILL (the default) runs no shutdown code, as in a
   * crash; SIGTERM runs the graceful shutdown, as in a deploy.
   */
  kill(signal?: "SIGKILL" | "SIGTERM"): Promise<void>;
}

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/**
 * Starts `src/main.ts` (or `options.main`) as a child process and waits for its
 * "listening" log line.
 */
export async function spawnServer(
  env: Record<string, string>,
  options: { main?: string; denoArgs?: string[] } = {},
): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", ...(options.denoArgs ?? []), options.main ?? MAIN],
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      JWT_SECRET: SECRET,
      LOG_LEVEL: "info",
      ...QUEUE_TTL,
      ...DEFAULTS,
      ...env,
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let port = 0;
  while (!port) {
    const { value, done } = await lines.read();
    if (done) throw new Error("Cannot start server: it exited before listening");
    buffer += value;
    port = Number(buffer.match(/"msg":"listening","port":(\d+)/)?.[1] ?? 0);
  }
  // Keep reading so the child never blocks on a full pipe.
  const drained = (async () => {
    while (!(await lines.read()).done) { /* discard */ }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async kill(signal = "SIGKILL") {
      child.kill(signal);
      const { code } = await child.status;
      if (signal === "SIGTERM" && code !== 0) {
        throw new Error(`Cannot stop server gracefully: it exited with ${code}`);
      }
      await drained;
    },
  };
}

/** A TCP port that was free a moment ago (for a server that must restart on the same port). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}
