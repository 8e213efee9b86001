/**
 * A thumbnail's life follows its file's: the sweep keeps a sent one however
 * old, and removes one never sent with its file; one removed before its file
 * is sent refuses the send as a missing file does, and claims nothing. Real KV
 * store, real core, the clock passed in.
 */
import assert from "node:assert/strict";
import { UNCLAIMED_TTL_MS } from "../../src/core/files.ts";
import { setup } from "./_setup.ts";

Deno.test("files: a thumbnail is kept and swept with its file", async () => {
  const s = await setup();
  try {
    const upload = (name: string, thumbnail?: string) =>
      s.upload(name, { type: "image/png", thumbnail });
    const send = s.sendFile;
    const readable = (userId: string, id: string) =>
      s.core.files.open(userId, id).then(() => true, () => false);

    const sentThumb = await upload("sent-thumb.png");
    await send("sent", (await upload("sent.png", sentThumb.id)).id);
    const unsentThumb = await upload("unsent-thumb.png");
    const unsent = await upload("unsent.png", unsentThumb.id);
    const later = new Date(Date.now() + UNCLAIMED_TTL_MS + 60_000);
    assert.equal(await s.core.files.sweep(later), 2, "the unsent file and its thumbnail");
    assert.equal(await readable(s.bob, sentThumb.id), true, "the sent one stays");
    assert.equal(await readable(s.alice, unsentThumb.id), false);
    assert.equal(await readable(s.alice, unsent.id), false);

    // Its thumbnail gone before it is sent: not found, and the file stays free to send.
    const goneThumb = await upload("gone-thumb.png");
    const orphan = await upload("orphan.png", goneThumb.id);
    await s.core.files.discard([goneThumb]);
    await assert.rejects(send("orphan", orphan.id), {
      name: "AccessError",
      message: "Thumbnail of a file to attach not found",
    });
    assert.equal((await s.store.files.get(orphan.id))?.claimedBy, undefined, "not claimed");
  } finally {
    await s.close();
  }
});
