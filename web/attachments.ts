/// <reference lib="dom" />
/**
 * Files in the conversation: a picture shows in the message, any other file is
 * a link that saves it. Files need the bearer token, which an `<img src>` cannot
 * send, so each is fetched once through the REST client and shown from a blob
 * URL kept for the page's life (the list is redrawn on every change).
 * @module
 */
import type { AttachmentView, MessageView, RestClient } from "../src/sdk/mod.ts";
import { el } from "./view.ts";

// Pictures a browser shows without running anything (the server serves these inline too).
const PICTURE = /^image\/(png|jpeg|gif|webp|avif)$/;
const urls = new Map<string, Promise<string>>();

function blobUrl(rest: RestClient, id: string): Promise<string> {
  let url = urls.get(id);
  if (!url) {
    url = rest.downloadFile(id).then((blob) => URL.createObjectURL(blob));
    // A failed fetch (the file went with its message) is tried again on the next look.
    url.catch(() => urls.delete(id));
    urls.set(id, url);
  }
  return url;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function shown(rest: RestClient, file: AttachmentView): HTMLElement {
  if (PICTURE.test(file.type)) {
    const img = el("img", { class: "picture", alt: file.name }) as HTMLImageElement;
    blobUrl(rest, file.id).then((url) => img.src = url, () => img.alt = `${file.name} (gone)`);
    return img;
  }
  const link = el("a", { class: "file", href: "#", download: file.name }, `📎 ${file.name}`);
  link.append(el("span", { class: "size" }, ` ${size(file.size)}`));
  link.onclick = async (event) => {
    if (link.getAttribute("href") !== "#") return;
    event.preventDefault();
    link.setAttribute("href", await blobUrl(rest, file.id));
    link.click();
  };
  return link;
}

/** The files of a message, or nothing when it has none. */
export function filesOf(rest: RestClient, message: MessageView): HTMLElement | undefined {
  if (!message.attachments?.length) return undefined;
  return el("span", { class: "files" }, ...message.attachments.map((file) => shown(rest, file)));
}
