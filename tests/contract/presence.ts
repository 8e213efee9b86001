/**
 * The presence contract: every `Presence` implementation runs this suite.
 * @module
 */
import assert from "node:assert/strict";
import type { Presence } from "../../src/core/ports.ts";
import type { ContractOptions } from "./_options.ts";

/** Registers the presence contract suite under `name`. */
export function presenceContract(
  name: string,
  open: () => Promise<Presence>,
  options: ContractOptions = {},
): void {
  Deno.test({
    name: `presence contract: ${name}`,
    ignore: options.ignore,
    fn: async (t) => {
      const presence = await open();
      const u = `u-${crypto.randomUUID()}`;
      const v = `v-${crypto.randomUUID()}`;

      await t.step("first device is reported once, last device once", async () => {
        assert.equal(await presence.connect(u, "d1"), true);
        assert.equal(await presence.connect(u, "d2"), false);
        assert.equal(
          await presence.connect(u, "d2"),
          false,
          "the same device again is not a new one",
        );
        assert.deepEqual(await presence.online([u, v]), new Set([u]));
        assert.equal(await presence.disconnect(u, "d1"), false);
        assert.deepEqual(await presence.online([u]), new Set([u]));
        assert.equal(await presence.disconnect(u, "d2"), true);
        assert.deepEqual(await presence.online([u]), new Set());
      });

      await t.step("an unknown device disconnecting changes nothing", async () => {
        assert.equal(await presence.disconnect(v, "nope"), false);
        await presence.connect(v, "d1");
        assert.equal(await presence.disconnect(v, "other"), false);
        assert.deepEqual(await presence.online([v]), new Set([v]));
        await presence.disconnect(v, "d1");
        await presence.ping();
      });

      await presence.close();
    },
  });
}
