/**
 * Cross-node fan-out with the Socket.IO Redis adapter (pub/sub).
 *
 * The adapter subscribes asynchronously: emits before its subscriptions are
 * confirmed would be lost on other nodes. `ready()` waits for them by subscribing
 * one more channel on the same connection: Redis answers commands of a connection
 * in order, so when that answer arrives, the adapter's subscriptions are in place.
 * @module
 */
import { createAdapter } from "@socket.io/redis-adapter";
import type { Redis } from "ioredis";
import { closeRedis } from "./client.ts";

/** Options of the Socket.IO Redis adapter. */
export interface RedisSocketAdapterOptions {
  /** A connected client to publish on; a subscriber connection is made from it. */
  client: Redis;
  /** Prefix of the adapter's channels. */
  keyPrefix: string;
  /** Called after the subscriber reconnects: pub/sub messages sent meanwhile are lost. */
  onResubscribed?: () => void;
}

/** The adapter factory for `io.adapter()`, and how to wait for it and close it. */
export interface RedisSocketAdapter {
  adapter: ReturnType<typeof createAdapter>;
  /**
   * Resolves true once the subscriptions of every namespace created so far are
   * confirmed, false if Redis did not answer within `timeoutMs` (degraded start).
   */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Creates the Socket.IO Redis adapter on a publisher and a new subscriber connection. */
export function createRedisSocketAdapter(options: RedisSocketAdapterOptions): RedisSocketAdapter {
  const pub = options.client;
  // A subscriber keeps its own connection, and its commands wait for Redis however long
  // it takes (no retry limit): ioredis subscribes again by itself after a reconnect.
  const sub = pub.duplicate({
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    enableAutoPipelining: false,
  });
  sub.on("error", () => {/* ioredis reconnects; health reports Redis */});
  let connectedOnce = false;
  sub.on("ready", () => {
    if (connectedOnce) options.onResubscribed?.();
    connectedOnce = true;
  });
  const adapter = createAdapter(publishSafely(pub), sub, { key: `${options.keyPrefix}socket.io` });
  const probe = `${options.keyPrefix}socket.io-ready#${crypto.randomUUID()}`;
  return {
    adapter,
    async ready(timeoutMs) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const confirmed = sub.subscribe(probe).then(() => sub.unsubscribe(probe)).then(() => true);
      const ok = await Promise.race([
        confirmed,
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      return ok;
    },
    close: () => closeRedis(sub),
  };
}

/**
 * The adapter publishes without handling failures, and our client fails commands
 * at once while Redis is down: an unhandled rejection would end the process. A
 * publish lost in an outage loses an event, not a message; rings lost with it are
 * made up by `onResubscribed`.
 */
function publishSafely(client: Redis): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === "publish") {
        return (...args: Parameters<Redis["publish"]>) => target.publish(...args).catch(() => 0);
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
