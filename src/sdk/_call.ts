/**
 * One request to the server with an ack, as the SDK makes them all but sends.
 * @module
 */
import type { Socket } from "socket.io-client";
import type { Ack } from "../protocol/errors.ts";
import { ChatClientError } from "./errors.ts";

/**
 * Emits `event` and waits up to `timeoutMs` for the ack: its payload, or the
 * server's refusal as a `ChatClientError`. No ack in time rejects with
 * socket.io-client's own timeout error.
 */
export async function call<T extends object = Record<never, never>>(
  socket: Socket,
  timeoutMs: number,
  event: string,
  ...payload: unknown[]
): Promise<T> {
  const ack: Ack<T> = await socket.timeout(timeoutMs).emitWithAck(event, ...payload);
  if (!ack.ok) throw new ChatClientError(ack.error);
  return ack;
}
