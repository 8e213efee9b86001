/**
 * In-process presence for a single node: a set of device ids per user.
 * @module
 */
import type { Presence } from "../../core/ports.ts";

/** Presence kept in this process's memory; lost on restart, as connections are. */
export class MemoryPresence implements Presence {
  #devices = new Map<string, Set<string>>();

  connect(userId: string, deviceId: string): Promise<boolean> {
    let devices = this.#devices.get(userId);
    if (!devices) this.#devices.set(userId, devices = new Set());
    devices.add(deviceId);
    return Promise.resolve(devices.size === 1);
  }

  disconnect(userId: string, deviceId: string): Promise<boolean> {
    const devices = this.#devices.get(userId);
    if (!devices?.delete(deviceId)) return Promise.resolve(false);
    if (devices.size > 0) return Promise.resolve(false);
    this.#devices.delete(userId);
    return Promise.resolve(true);
  }

  online(userIds: readonly string[]): Promise<Set<string>> {
    return Promise.resolve(new Set(userIds.filter((id) => this.#devices.has(id))));
  }

  /** Nothing expires: devices live in this process and go with it. */
  sweep(): Promise<string[]> {
    return Promise.resolve([]);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#devices.clear();
    return Promise.resolve();
  }
}
