/// <reference lib="dom" />
/**
 * How far each file waiting in the outbox got on its way up, shown by its name
 * in its pending message: "waiting" until its message's turn, then the share
 * sent (a 10 MiB video on a phone's network takes a while), kept across the
 * list's redraws. A share is forgotten once its file is up: the file's `id`
 * in the outbox entry says so from then on.
 * @module
 */
import type { OutboxFile, UploadProgress } from "../src/sdk/mod.ts";
import { el } from "./view.ts";

const shares = new Map<string, string>();

/** A file still in the outbox: its name, and how far its upload got. */
export function waitingFile(file: Pick<OutboxFile, "key" | "name" | "id">): HTMLElement {
  const state = file.id ? "100%" : shares.get(file.key) ?? "waiting";
  return el(
    "span",
    { class: "file waiting", "data-upload": file.key },
    `📎 ${file.name}`,
    el("span", { class: "size" }, ` ${state}`),
  );
}

/** Shows how far an upload got in its file's line, and keeps it for the next redraw. */
export function showUploadProgress({ key, sent, total }: UploadProgress): void {
  const share = `${total > 0 ? Math.floor((sent / total) * 100) : 100}%`;
  if (sent < total) shares.set(key, share);
  else shares.delete(key);
  const line = document.querySelector(`[data-upload="${CSS.escape(key)}"] .size`);
  if (line) line.textContent = ` ${share}`;
}
