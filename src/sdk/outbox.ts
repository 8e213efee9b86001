/**
 * The client's outbox: messages the server has not yet acknowledged. Kept in a
 * storage that can outlive the page (localStorage in browsers), so a message
 * written while offline is sent when the client is next online, exactly once:
 * each entry keeps its `clientMsgId`, and the server stores a repeat only once.
 * Files written with a message are kept apart (`OutboxFileStorage`: their
 * bytes are no JSON) and uploaded when the entry's turn comes.
 * @module
 */
import type { MediaInfo } from "../protocol/files.ts";

/** What a message may carry besides its text (see `ChatClient.send`). */
export interface SendOptions {
  replyToId?: string;
  mentions?: string[];
  /** The message this one forwards (its content must be that message's). */
  forwardOf?: string;
  /** Files to send with it: ids from `RestClient.uploadFile`. */
  attachments?: string[];
  /** Files to upload and send with it, kept with the outbox until then (before `attachments`). */
  files?: FileToSend[];
}

/** A file to upload and send with a message (`ChatClient.send`'s `files`). */
export interface FileToSend extends MediaInfo {
  blob: Blob;
  /** Its name; by default the File's own, or "file". */
  name?: string;
  /** A smaller picture of it, sent as its thumbnail (see `RestClient.uploadFile`). */
  thumbnail?: { blob: Blob; width?: number; height?: number };
}

/** A message waiting for the server's ack. */
export interface OutboxEntry {
  clientMsgId: string;
  chatId: string;
  content: string;
  /** The message it replies to, if any. */
  replyToId?: string;
  /** The participants it mentions, if any. */
  mentions?: string[];
  /** The message it forwards, if any. */
  forwardOf?: string;
  /** The ids of the uploads it sends, if any. */
  attachments?: string[];
  /** Files to upload and send with it, before `attachments`, if any (`send`'s `files`). */
  files?: OutboxFile[];
  /** When the user wrote it (ISO 8601), for showing it in place meanwhile. */
  createdAt: string;
  /**
   * Set (and kept) before the server is first asked to store it: from then it
   * may be stored, so `ChatClient.cancel` no longer takes it back.
   */
  tried?: true;
}

/** A new entry of a message, as `send` writes it: only what is set. */
export function newEntry(chatId: string, content: string, options: SendOptions): OutboxEntry {
  const entry: OutboxEntry = {
    clientMsgId: crypto.randomUUID(),
    chatId,
    content,
    createdAt: new Date().toISOString(),
  };
  if (options.replyToId) entry.replyToId = options.replyToId;
  if (options.mentions?.length) entry.mentions = [...options.mentions];
  if (options.forwardOf) entry.forwardOf = options.forwardOf;
  if (options.attachments?.length) entry.attachments = [...options.attachments];
  return entry;
}

/**
 * Where the outbox is kept. Either method may answer at once or with a promise
 * (React Native's AsyncStorage, IndexedDB): an async storage is saved one call
 * at a time, and a message is kept once the save that holds it resolved.
 *
 * ```ts
 * const outbox: OutboxStorage = {
 *   load: async () => JSON.parse((await AsyncStorage.getItem("outbox")) ?? "[]"),
 *   save: (entries) => AsyncStorage.setItem("outbox", JSON.stringify(entries)),
 * };
 * ```
 */
export interface OutboxStorage {
  /**
   * What is kept: read when the client is made, and again on every connect,
   * when the client takes in entries it does not hold (another tab's). Entries
   * read are sent before those written meanwhile: they are older.
   */
  load(): OutboxEntry[] | Promise<OutboxEntry[]>;
  /**
   * Keeps the client's entries, after each one is added or answered; not
   * before the first `load()` finished, whose entries it then holds too.
   * While an async save runs, changes wait and the latest entries go next.
   */
  save(entries: readonly OutboxEntry[]): void | Promise<void>;
}

/**
 * A file of an outbox entry: its bytes under `key` in the `OutboxFileStorage`
 * until uploaded, then its `id` (the upload is not made twice).
 */
export interface OutboxFile extends MediaInfo {
  key: string;
  name: string;
  id?: string;
  /** A smaller picture of it, uploaded first as its thumbnail. */
  thumbnail?: { key: string; width?: number; height?: number; id?: string };
}

/**
 * How far the upload of an outbox entry's file got (its thumbnail, a small
 * extra, is not told): `sent` of `total` bytes. In browsers and React Native
 * as its bytes go; elsewhere once, at the end.
 */
export interface UploadProgress {
  /** The entry's message. */
  clientMsgId: string;
  /** The file's `key` among the entry's `files`. */
  key: string;
  sent: number;
  total: number;
}

/**
 * Where the bytes of files written with messages wait for their upload. Each
 * method may answer at once or with a promise. In memory by default, so a
 * file written offline goes once the client is back, but not after the app is
 * closed; keep them in IndexedDB or on disk to outlive it.
 */
export interface OutboxFileStorage {
  put(key: string, blob: Blob): void | Promise<void>;
  /** The bytes kept under `key`; null or undefined when none are. */
  get(key: string): Blob | null | undefined | Promise<Blob | null | undefined>;
  delete(key: string): void | Promise<void>;
}

/** File bytes kept as long as the client object. */
export function memoryFileStorage(): OutboxFileStorage {
  const blobs = new Map<string, Blob>();
  return {
    put: (key, blob) => void blobs.set(key, blob),
    get: (key) => blobs.get(key),
    delete: (key) => void blobs.delete(key),
  };
}

/** An outbox that lives as long as the client object. */
export function memoryOutbox(): OutboxStorage {
  let entries: OutboxEntry[] = [];
  return {
    load: () => [...entries],
    save: (next) => void (entries = [...next]),
  };
}

/**
 * An outbox in `localStorage` under `key` (one per user, so accounts never mix).
 * The tabs of one user share it, each with the entries it loaded or wrote: a
 * save writes only what this page changed since its last load or save, so it
 * never drops another tab's unsent messages, and the next page to load sends
 * what a closed tab left.
 */
export function localStorageOutbox(key: string): OutboxStorage {
  const read = (): OutboxEntry[] => {
    try {
      return JSON.parse(globalThis.localStorage.getItem(key) ?? "[]");
    } catch {
      return [];
    }
  };
  // This page's entries as of its last load or save.
  let mine = new Set<string>();
  return {
    load() {
      const entries = read();
      mine = idsOf(entries);
      return entries;
    },
    save(entries) {
      const now = idsOf(entries);
      const stored = read().filter((e) => now.has(e.clientMsgId) || !mine.has(e.clientMsgId));
      const present = idsOf(stored);
      const added = entries.filter((e) => !present.has(e.clientMsgId));
      globalThis.localStorage.setItem(key, JSON.stringify([...stored, ...added]));
      mine = now;
    },
  };
}

const idsOf = (entries: readonly OutboxEntry[]) => new Set(entries.map((e) => e.clientMsgId));
