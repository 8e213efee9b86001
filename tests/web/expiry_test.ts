/**
 * The page's filter of disappearing messages: what expired is not shown, and
 * the conversation is drawn again when the next one's time comes.
 */
import assert from "node:assert/strict";
import { Expiry } from "../../web/expiry.ts";
import { until } from "../_helpers/client.ts";

Deno.test("web expiry: hides what expired, redraws when the next one does", async () => {
  let redraws = 0;
  const expiry = new Expiry(() => redraws++);
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms).toISOString();
  const messages = [
    { id: "gone", expiresAt: at(-1) },
    { id: "soon", expiresAt: at(150) },
    { id: "stays" },
    { id: "later", expiresAt: at(60_000) },
  ];
  assert.deepEqual(expiry.shown(messages, now).map((m) => m.id), ["soon", "stays", "later"]);
  await until("redrawn when 'soon' expired", () => redraws === 1, 2000);
  assert.deepEqual(expiry.shown(messages).map((m) => m.id), ["stays", "later"]);
  expiry.shown([]); // nothing left to wait for: the timer for "later" goes
  assert.equal(redraws, 1);
});
