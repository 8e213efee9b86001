/**
 * Uploads never sent: the sweep leaves them for a day, then removes them; a sent
 * one stays however old. Real KV store, real core, the clock passed in.
 */
import assert from "node:assert/strict";
import { UNCLAIMED_TTL_MS } from "../../src/core/files.ts";
import { setup } from "./_setup.ts";

Deno.test("files: uploads never sent are swept after a day, sent ones stay", async () => {
  const s = await setup();
  try {
    const upload = (name: string) =>
      s.core.files.upload(s.alice, s.chatId, {
        name,
        type: "text/plain",
        bytes: new Uint8Array(8),
      });
    const [unsent, sent] = [await upload("unsent.txt"), await upload("sent.txt")];
    await s.core.delivery.send(s.alice, {
      chatId: s.chatId,
      content: "here",
      clientMsgId: "with-file",
      attachments: [sent.id],
    });
    const later = (ms: number) => new Date(Date.now() + ms);
    assert.equal(await s.core.files.sweep(later(UNCLAIMED_TTL_MS - 60_000)), 0, "within the day");
    assert.equal((await s.core.files.download(s.alice, unsent.id)).size, 8);
    assert.equal(await s.core.files.sweep(later(UNCLAIMED_TTL_MS + 60_000)), 1);
    await assert.rejects(s.core.files.download(s.alice, unsent.id), { name: "AccessError" });
    assert.equal((await s.core.files.download(s.bob, sent.id)).size, 8, "the sent one stays");
  } finally {
    await s.close();
  }
});
