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
  /** Resolves once the subscriptions of every namespace created so far are confirmed. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the Socket.IO Redis adapter on a publisher and a new subscriber connection. */
export function createRedisSocketAdapter(options: RedisSocketAdapterOptions): RedisSocketAdapter {
  const pub = options.client;
  // A subscriber keeps its own connection; commands queue until it is up.
  const sub = pub.duplicate({ enableOfflineQueue: true });
  sub.on("error", () => {/* ioredis reconnects; health reports Redis */});
  let connectedOnce = false;
  sub.on("ready", () => {
    if (connectedOnce) options.onResubscribed?.();
    connectedOnce = true;
  });
  const adapter = createAdapter(pub, sub, { key: `${options.keyPrefix}socket.io` });
  const probe = `${options.keyPrefix}socket.io-ready#${crypto.randomUUID()}`;
  return {
    adapter,
    async ready() {
      await sub.subscribe(probe);
      await sub.unsubscribe(probe);
    },
    async close() {
      await sub.quit().catch(() => sub.disconnect());
    },
  };
}
