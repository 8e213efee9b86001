import assert from "node:assert/strict";
import { perMessage, readCpu } from "../../bench/_cpu.ts";

Deno.test("bench CPU accounting", async (t) => {
  await t.step("reads a process's main thread from /proc and counts work on it", async () => {
    // A child that, told to go, works 100 ms on its main thread in 10 ms slices, as a
    // server works between its waits, then says done and waits to be closed.
    const worker = `
      const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
      console.log("ready");
      await lines.read();
      for (let i = 0; i < 10; i++) {
        const until = performance.now() + 10;
        while (performance.now() < until);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      console.log("done");
      await lines.read();`;
    const child = new Deno.Command(Deno.execPath(), {
      args: ["eval", worker],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const output = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const stdin = child.stdin.getWriter();
    try {
      assert.match((await output.read()).value ?? "", /ready/);
      const before = readCpu(child.pid);
      await stdin.write(new TextEncoder().encode("go\n"));
      assert.match((await output.read()).value ?? "", /done/);
      const cost = perMessage(before, readCpu(child.pid), 1);
      assert.ok(cost.main >= 70_000, `main thread ${cost.main} µs for 100 ms of work`);
      assert.ok(cost.main <= 400_000, `main thread ${cost.main} µs for 100 ms of work`);
      assert.equal(cost.total, cost.main + cost.blocking + cost.v8Workers + cost.other);
    } finally {
      await stdin.close();
      await output.cancel();
      await child.status;
    }
  });

  await t.step("names V8's workers apart from the main thread", () => {
    const kinds = [...readCpu(Deno.pid).values()].map((thread) => thread.kind);
    assert.ok(kinds.includes("main"));
    assert.ok(kinds.includes("v8Workers"), `thread kinds: ${kinds.join(", ")}`);
  });

  await t.step("matches threads by id: one that started counts from zero", () => {
    const before = new Map([
      ["1", { kind: "main" as const, ms: 100 }],
      ["7", { kind: "blocking" as const, ms: 500 }], // ended: its time is lost, not subtracted
    ]);
    const after = new Map([
      ["1", { kind: "main" as const, ms: 300 }],
      ["8", { kind: "blocking" as const, ms: 40 }], // started in between
      ["9", { kind: "v8Workers" as const, ms: 20 }],
    ]);
    assert.deepEqual(perMessage(before, after, 1000), {
      main: 200,
      blocking: 40,
      v8Workers: 20,
      other: 0,
      total: 260,
    });
  });
});
