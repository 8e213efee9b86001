/**
 * A user's devices on two nodes both get each message live. The device on the
 * sender's node gets a send at once and acknowledges it, which takes it out of
 * the user's backlog; the device on the other node used to read that backlog
 * when rung, and missed what the first had acknowledged (35 of 200 here). The
 * ring now carries the messages it is about.
 */
import assert from "node:assert/strict";
import { connect, directChat, emitAck, register, settled, sleep } from "../_helpers/client.ts";
import { servicesUp, twoNodes } from "./_two_nodes.ts";

const SENDS = 100;

Deno.test({
  name: "a message reaches live each device of its recipient, on either node",
  ignore: !servicesUp,
  fn: async () => {
    const { a, b, dataDir } = await twoNodes();
    try {
      const [alice, bob] = [await register(a.url), await register(a.url)];
      const chatId = await directChat(a.url, alice, bob);
      const sender = await connect(a.url, alice.token);
      const here = await connect(a.url, bob.token);
      const there = await connect(b.url, bob.token);
      await Promise.all([settled(here), settled(there)]);
      for (let i = 0; i < SENDS; i++) {
        await emitAck(sender, "message:send", { chatId, content: `m${i}`, clientMsgId: `m${i}` });
        await sleep(5);
      }
      const expected = Array.from({ length: SENDS }, (_, i) => i + 1);
      for (const [name, device] of [["here", here], ["there", there]] as const) {
        const seqs = () => [...new Set(device.received.map((m) => m.seq))];
        let got: number[] = [];
        for (let waited = 0; waited < 5000 && got.length < SENDS; waited += 50) {
          got = seqs();
          await sleep(50);
        }
        assert.deepEqual(got, expected, `the device ${name}, in order`);
        assert.ok(device.received.every((m) => m.isNew), `the device ${name}, live`);
      }
      for (const socket of [sender, here, there]) socket.close();
    } finally {
      await Promise.all([a.kill(), b.kill()]);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
