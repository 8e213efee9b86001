/**
 * Password hashes run a few at a time: two bursts of fifty sign-ups or logins,
 * the second while the first is under way, hold one 16 MiB scrypt buffer per
 * core, not one per hash. Measured as the
 * peak resident memory of a child process (the kernel's VmHWM), with the
 * allocator set as `deno task start` sets it.
 */
import assert from "node:assert/strict";

const BURST = new URL("./_hash_burst.ts", import.meta.url).pathname;

Deno.test("password hashes: a burst holds memory for a few at a time", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", BURST, "50"],
    env: { MALLOC_MMAP_THRESHOLD_: "4194304" },
    stderr: "inherit",
  }).output();
  assert.equal(output.code, 0);
  const { peakMb, checked } = JSON.parse(new TextDecoder().decode(output.stdout));
  assert.equal(checked, true, "the hashes still verify");
  // A runtime and its modules, then 16 MiB and some for each hash running: a hundred at
  // once reached 557 MB on a 2-core machine, two at a time 74 MB.
  const bound = 80 + 24 * navigator.hardwareConcurrency;
  assert.ok(peakMb < bound, `peak ${peakMb} MB, over ${bound} MB`);
});
