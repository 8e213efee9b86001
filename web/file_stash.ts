/// <reference lib="dom" />
/**
 * Where the page keeps the bytes of files written with a message until they
 * are uploaded: IndexedDB, which holds Blobs and outlives the page, so a photo
 * picked offline goes after a reload too (the outbox itself is in
 * localStorage, which holds text only). Where IndexedDB will not open (some
 * private windows) they stay in memory, for the page's life.
 * @module
 */
import { memoryFileStorage, type OutboxFileStorage } from "../src/sdk/mod.ts";

const STORE = "files";

/** The page's file storage for the SDK's outbox, in the IndexedDB database `name`. */
export function indexedDbFiles(name = "chat.files"): OutboxFileStorage {
  const memory = memoryFileStorage();
  const db = new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch(() => null);
  // One request in its own transaction; settles once the transaction is done, so a write
  // is on disk when it resolves.
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest) => {
    const transaction = (await db)!.transaction(STORE, mode);
    const request = act(transaction.objectStore(STORE));
    return await new Promise<T>((resolve, reject) => {
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  };
  return {
    put: async (key, blob) => {
      if (await db) await run("readwrite", (store) => store.put(blob, key));
      else memory.put(key, blob);
    },
    get: async (key) => await db ? await run<Blob>("readonly", (s) => s.get(key)) : memory.get(key),
    delete: async (key) => {
      if (await db) await run("readwrite", (store) => store.delete(key));
      else memory.delete(key);
    },
  };
}
