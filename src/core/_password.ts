/**
 * Password hashing with scrypt from node:crypto: memory-hard, so a stolen hash
 * costs an attacker 16 MiB of memory per guess. The parameters are stored with
 * each hash so they can be raised later without breaking old accounts. As many
 * hashes run at once as the machine has cores; the rest wait their turn.
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

// Deno runs node:crypto's scrypt on its blocking pool, dozens at a time, each holding its
// 16 MiB: 100 sign-ups or logins at once took a process to 557-715 MB, and 74-106 MB when
// they ran two at a time, in the same 3-4 s (the cores are the limit either way).
const AT_ONCE = Math.max(1, navigator.hardwareConcurrency);
let running = 0;
const waiting: (() => void)[] = [];

// Runs `work` when a turn is free, in order of arrival; a finished turn passes to the next.
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < AT_ONCE) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return inTurn(() => scryptKey(password, salt, n, r, p));
}

function scryptKey(password: string, salt: Buffer, n: number, r: number, p: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (
      err,
      key,
    ) => err ? reject(err) : resolve(key))
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await derive(password, Buffer.from(salt, "base64"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;

/** A hash of a random password, so unknown logins take as long as wrong passwords. */
export function dummyHash(): Promise<string> {
  return dummy ??= hashPassword(crypto.randomUUID());
}
