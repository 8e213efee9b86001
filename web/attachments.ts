/// <reference lib="dom" />
/**
 * Files in the conversation: a picture shows in the message, any other file is
 * a link that saves it. Files need the bearer token, which an `<img src>` cannot
 * send, so each is fetched once through the REST client and shown from a blob
 * URL kept for the page's life (the list is redrawn on every change). A picture
 * whose size its sender declared has its box before it loads, and shows its
 * thumbnail when it has one (the whole picture is fetched when opened); a
 * recording shows its length, and plays in place, a video's thumbnail until then.
 * @module
 */
import type { AttachmentView, RestClient } from "../src/sdk/mod.ts";
import type { Shown } from "./message_list.ts";
import { fitWithin, RECORDING } from "./media.ts";
import { waitingFile } from "./upload_progress.ts";
import { $, button, el } from "./view.ts";

// Pictures a browser shows without running anything (the server serves these inline too).
const PICTURE = /^image\/(png|jpeg|gif|webp|avif)$/;
const urls = new Map<string, Promise<string>>();
// The players opened, by file id, kept across the conversation's redraws.
const players = new Map<string, HTMLMediaElement>();
// The largest box a picture gets in a message (as style.css's .picture).
const [MAX_WIDTH, MAX_HEIGHT] = [320, 240];

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

// A recording's length, as a player shows it: 0:04, 12:30.
function clock(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000)); // half a second is not 0:00
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

// A picture's box, within the bubble's 320 × 240 (style.css), from its declared size: laid out
// before its bytes arrive, so the conversation does not jump as pictures load.
function box(img: HTMLImageElement | HTMLVideoElement, { width, height }: AttachmentView): void {
  if (!width || !height) return;
  ({ width: img.width, height: img.height } = fitWithin({ width, height }, MAX_WIDTH, MAX_HEIGHT));
}

function shown(rest: RestClient, file: AttachmentView): HTMLElement {
  if (PICTURE.test(file.type)) {
    const img = el("img", { class: "picture", alt: file.name }) as HTMLImageElement;
    box(img, file);
    // Its thumbnail when it has one: a phone fetches a few kilobytes, not the whole picture.
    const small = file.thumbnail?.id ?? file.id;
    blobUrl(rest, small).then((url) => img.src = url, () => img.alt = `${file.name} (gone)`);
    // The bubble shows it at most 320 × 240: a click shows it, whole, as large as the window allows.
    const view = el(
      "button",
      { type: "button", class: "view", "aria-label": `View ${file.name}` },
      img,
    );
    view.onclick = () =>
      img.src && blobUrl(rest, file.id).then((url) => viewer(url, file.name), () => {});
    return view;
  }
  const link = saveLink(rest, file);
  return RECORDING.test(file.type) ? recording(rest, file, link) : link;
}

// A recording: a play button until asked (over a video's thumbnail, when it has one), then a
// player (the bytes are fetched then), and the link that saves it. The list is redrawn on every
// change: the same player is put back, within the same task, so it plays on through new
// messages and ticks.
function recording(rest: RestClient, file: AttachmentView, link: HTMLElement): HTMLElement {
  const held = players.get(file.id);
  const poster = file.thumbnail && blobUrl(rest, file.thumbnail.id);
  const play = held ?? button(`Play ${file.name}`, "▶", async () => {
    const media = el(file.type.startsWith("video/") ? "video" : "audio", {
      controls: "",
    }) as HTMLMediaElement;
    if (media instanceof HTMLVideoElement) {
      box(media, file);
      poster?.then((url) => media.poster = url, () => {});
    }
    players.set(file.id, media);
    play.replaceWith(media);
    try {
      media.src = await blobUrl(rest, file.id);
      await media.play();
    } catch {
      // Gone with its message, or not a format this browser plays: the link still saves it.
    }
  });
  if (!held && poster) {
    const img = el("img", { class: "picture", alt: "" }) as HTMLImageElement;
    box(img, file);
    poster.then((url) => img.src = url, () => {});
    play.replaceChildren(img);
    play.classList.add("poster");
  }
  return el("span", { class: "recording" }, play, link);
}

function saveLink(rest: RestClient, file: AttachmentView): HTMLElement {
  const link = el("a", { class: "file", href: "#", download: file.name }, `📎 ${file.name}`);
  const length = file.durationMs ? `${clock(file.durationMs)} · ` : "";
  link.append(el("span", { class: "size" }, ` ${length}${size(file.size)}`));
  link.onclick = async (event) => {
    if (link.getAttribute("href") !== "#") return;
    event.preventDefault();
    link.setAttribute("href", await blobUrl(rest, file.id));
    link.click();
  };
  return link;
}

function viewer(url: string, name: string): void {
  const dialog = $<HTMLDialogElement>("viewer");
  const picture = $<HTMLImageElement>("viewer-picture");
  [picture.src, picture.alt] = [url, name];
  $("viewer-close").onclick = () => dialog.close();
  dialog.showModal();
}

/**
 * The files of a message, or nothing when it has none; those of a message
 * still in the outbox by name, with how far their upload got.
 */
export function filesOf(rest: RestClient, message: Shown): HTMLElement | undefined {
  if ("pending" in message) {
    if (!message.files?.length) return undefined;
    return el("span", { class: "files" }, ...message.files.map(waitingFile));
  }
  if (!message.attachments?.length) return undefined;
  return el("span", { class: "files" }, ...message.attachments.map((file) => shown(rest, file)));
}
