/**
 * Run as a child process by password_test.ts: hashes `count` passwords at once,
 * and `count` more once a fifth of the first have finished (the turns passed on
 * meanwhile must still add up); prints the process's peak resident memory
 * (VmHWM) in MB.
 * @module
 */
import { hashPassword, verifyPassword } from "../../src/core/_password.ts";

const count = Number(Deno.args[0]);
let finished = 0;
let second: Promise<string[]> | undefined;
const wave = (from: number) =>
  Promise.all(Array.from({ length: count }, async (_, i) => {
    const hash = await hashPassword(`password ${from + i}`);
    if (++finished === Math.ceil(count / 5)) second = wave(count);
    return hash;
  }));
const hashes = [...await wave(0), ...await second!];
const checked = await verifyPassword(`password ${2 * count - 1}`, hashes.at(-1)!);
const peakKb = Number((await Deno.readTextFile("/proc/self/status")).match(/VmHWM:\s+(\d+)/)![1]);
console.log(JSON.stringify({ peakMb: Math.round(peakKb / 1024), checked }));
