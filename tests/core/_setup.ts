// deno-lint-ignore-file no-explicit-any -- recorded payloads are arbitrary JSON
/**
 * A core for tests without sockets: the real KV store and memory adapters, a
 * device channel that the test scripts, a notifier that records what the core
 * emits, and a failpoint to time a race.
 * @module
 */
import { openKvStore } from "../../src/adapters/kv/mod.ts";
import {
  MemoryPresence,
  MemoryRateLimiter,
  PendingIndexQueue,
} from "../../src/adapters/memory/mod.ts";
import { createCore, type DeviceChannel, type Notifier, type Store } from "../../src/core/mod.ts";
import { createJwtSigner } from "../../src/http/tokens.ts";
import { createLogger } from "../../src/log.ts";
import { PrometheusMetrics } from "../../src/metrics.ts";
import type { MessageView } from "../../src/protocol/mod.ts";

/** A device whose acks the test controls. */
export class ScriptedDevice implements DeviceChannel {
  received: MessageView[] = [];
  inFlight = 0;
  maxInFlight = 0;
  ack: (m: MessageView) => boolean = () => true;
  deliver(message: MessageView): Promise<boolean> {
    this.received.push(message);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    // Ack on a later macrotask so several messages are in flight at once.
    return new Promise((resolve) =>
      setTimeout(() => {
        this.inFlight--;
        resolve(this.ack(message));
      }, 1)
    );
  }
}

/**
 * A pause in one store method, to run other work between a service's checks and
 * its write: the race a test could not otherwise time. Once armed, the next call
 * of `part.method` waits for the armed work to finish, then runs as it would.
 * The store behind it is the real one.
 */
export class Failpoint {
  #work?: () => Promise<unknown>;

  /** A failpoint on `store[part][method]`. */
  constructor(readonly part: "users" | "chats" | "files", readonly method: string) {}

  /** Runs `work` before the next call of the method goes on. */
  arm(work: () => Promise<unknown>): void {
    this.#work = work;
  }

  /** `store` with this failpoint in its way. */
  wrap(store: Store): Store {
    const held = new Proxy(store[this.part], {
      get: (target, prop) => {
        const value = Reflect.get(target, prop);
        if (typeof value !== "function") return value;
        if (prop !== this.method) return value.bind(target);
        return async (...args: unknown[]) => {
          const work = this.#work;
          if (work) {
            this.#work = undefined;
            await work();
          }
          return value.apply(target, args);
        };
      },
    });
    return new Proxy(store, {
      get: (target, prop) => {
        if (prop === this.part) return held;
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

/** A notifier that records emits. */
export class RecordingNotifier implements Notifier {
  emitted: { userIds: readonly string[]; event: string; payload: any }[] = [];
  emit(userIds: readonly string[], event: string, payload: unknown): void {
    this.emitted.push({ userIds, event, payload });
  }
  ring(): void {}
  endSession(): void {}
  endUserSessions(): void {}
  leaveChat(): void {}
}

/**
 * A core on a fresh KV file and memory adapters, with Alice and Bob in a direct
 * chat. `failpoint` (see `Failpoint`) sits between the core and the store;
 * uploads take up to `maxFileBytes` (1024 unless set).
 */
export async function setup(
  window = 4,
  options: { failpoint?: Failpoint; maxFileBytes?: number } = {},
) {
  const dir = await Deno.makeTempDir({ prefix: "core-" });
  const store = await openKvStore({ path: `${dir}/chat.kv` });
  const notifier = new RecordingNotifier();
  const core = createCore({
    store: options.failpoint?.wrap(store) ?? store,
    presence: new MemoryPresence(),
    queue: new PendingIndexQueue(store.messages),
    notifier,
    tokens: createJwtSigner({ secret: "x".repeat(32), ttlSeconds: 60 }),
    limiter: new MemoryRateLimiter(),
    logger: createLogger("error", () => {}),
    metrics: new PrometheusMetrics(),
  }, {
    maxMessageChars: 100,
    maxGroupSize: 10,
    directChatPolicy: "contacts",
    groupAddPolicy: "open",
    deliveryWindow: window,
    backlogPageSize: 5,
    limits: {
      messages: { limit: 1000, windowMs: 60_000 },
      loginPerAccount: { limit: 100, windowMs: 60_000 },
      loginPerAddress: { limit: 100, windowMs: 60_000 },
      signups: { limit: 100, windowMs: 60_000 },
      reports: { limit: 100, windowMs: 60_000 },
      searches: { limit: 100, windowMs: 60_000 },
      exports: { limit: 100, windowMs: 60_000 },
      uploads: { limit: 100, windowMs: 60_000 },
      requests: { limit: 100, windowMs: 60_000 },
    },
    maxFileBytes: options.maxFileBytes ?? 1024,
  });
  const alice = await core.auth.register({
    username: "alice",
    email: "a@x.io",
    password: "password1",
  });
  const bob = await core.auth.register({ username: "bob", email: "b@x.io", password: "password1" });
  await core.users.addFriend(alice.user.id, bob.user.id);
  const { chat } = await core.chats.create(alice.user.id, {
    type: "direct",
    participantIds: [bob.user.id],
  });
  const send = (i: number) =>
    core.delivery.send(alice.user.id, { chatId: chat.id, content: `m${i}`, clientMsgId: `k${i}` });
  // Eight bytes from Alice to the chat, as `name` (text, or `type`), naming a `thumbnail`.
  const upload = (name: string, options: { type?: string; thumbnail?: string } = {}) =>
    core.files.upload(alice.user.id, chat.id, {
      name,
      type: options.type ?? "text/plain",
      size: 8,
      body: new Uint8Array(8),
      thumbnail: options.thumbnail,
    });
  // A message "here" from Alice, as `clientMsgId`, carrying the file `fileId`.
  const sendFile = (clientMsgId: string, fileId: string) =>
    core.delivery.send(alice.user.id, {
      chatId: chat.id,
      content: "here",
      clientMsgId,
      attachments: [fileId],
    });
  return {
    core,
    store,
    notifier,
    chatId: chat.id,
    alice: alice.user.id,
    bob: bob.user.id,
    send,
    upload,
    sendFile,
    close: async () => {
      await core.delivery.flushed();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
