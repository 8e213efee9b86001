/**
 * What a delivery session is built with: the device it emits to, the delivery
 * service's reads and writes, and its sizes.
 * @module
 */
import type { MessageView } from "../protocol/mod.ts";
import type { PendingCursor } from "./ports.ts";
import type { MessageRecord } from "./types.ts";

/** How the core reaches one connected device. */
export interface DeviceChannel {
  /** Emits a message; resolves true once the device acknowledged it, false on timeout or close. */
  deliver(message: MessageView): Promise<boolean>;
}

/** What a session needs from the delivery service. */
export interface SessionDeps {
  /** Reads the user's backlog after a cursor. */
  backlog(after: PendingCursor | undefined, limit: number): Promise<MessageRecord[]>;
  /**
   * Records a device ack; resolves when it is stored. `live` when the message
   * was new to the session (`isNew`), not out of the backlog.
   */
  acknowledged(message: MessageRecord, live: boolean): Promise<void>;
}

/** Options of a delivery session. */
export interface SessionOptions {
  /** Most messages emitted and not yet acknowledged. */
  window: number;
  /** Messages read from the backlog per store round trip. */
  pageSize: number;
  /** When the device connected: messages created since are `isNew`. */
  connectedAt: string;
}
