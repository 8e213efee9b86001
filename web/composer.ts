/// <reference lib="dom" />
/**
 * The message box: Enter sends to the open chat through the client's outbox
 * (so a message typed offline goes out on reconnect), as a reply when one was
 * started (replies.ts), mentioning the members named as "@username"; a file picked with the
 * paperclip, pasted into the box or dropped on the conversation goes with the typed text as its
 * caption, through the outbox too (with its size in pixels or its length, media.ts, and a
 * thumbnail, thumbnails.ts), uploaded in its turn: a photo picked offline goes once back online.
 * Typing is announced at most every two seconds, since the server ends it by itself after a pause.
 * Others' typing shows under the conversation (typing.ts).
 * @module
 */
import type { ChatClient, FileToSend } from "../src/sdk/mod.ts";
import { mediaOf } from "./media.ts";
import { replyingTo, replyTo } from "./replies.ts";
import { thumbnailOf } from "./thumbnails.ts";
import { $ } from "./view.ts";

// The server's typing indicator lasts TYPING_TTL_MS (5 s by default): resending within it
// only costs packets.
const TYPING_EVERY_MS = 2000;
// The most files one message carries (the server refuses more).
const MAX_FILES = 10;

/** The open chat as the composer needs it: its id, and its members' ids by username. */
export interface ComposerChat {
  chatId: string;
  /** Lower-case usernames to user ids: who an "@name" may mention. */
  members: Map<string, string>;
}

// "@name" words naming a member of the chat: their ids go with the message as mentions.
function mentionsIn(text: string, members: Map<string, string>): string[] {
  const names = [...text.matchAll(/@([A-Za-z0-9_.-]+)/g)].map((m) => m[1].replace(/\.+$/, ""));
  return [...new Set(names.flatMap((name) => members.get(name.toLowerCase()) ?? []))];
}

/** Wires the composer; `open` is the open chat, or undefined when none is open. */
export function bindComposer(
  client: () => ChatClient,
  open: () => ComposerChat | undefined,
): void {
  const input = $<HTMLInputElement>("text");
  // What is typed goes out (a file's caption when it carries one), as a reply when one was
  // started. Files are read first (their size, a thumbnail: a video's frame may take a moment);
  // the box is free meanwhile, and what is sent then waits its turn, so messages enter the
  // outbox in the order written.
  let turn = Promise.resolve();
  const send = (chat: ComposerChat, content: string, files?: Promise<FileToSend[]>) => {
    const options = { replyToId: replyingTo()?.id, mentions: mentionsIn(content, chat.members) };
    turn = turn.then(async () => {
      // A message taken back (✕ while it waits) is no failure to tell.
      client().send(chat.chatId, content, { ...options, files: await files })
        .catch((e) => e.name === "AbortError" || alert(e.message));
    }).catch((e) => alert(e.message)); // a turn that failed does not stop the next
    client().typing(chat.chatId, false).catch(() => {});
    input.value = "";
    replyTo();
  };

  $<HTMLFormElement>("composer").onsubmit = (event) => {
    event.preventDefault();
    const chat = open();
    if (chat && input.value.trim()) send(chat, input.value);
  };

  // Files go in one message (at most the server's ten), with the typed text as its caption,
  // or their names when nothing is typed (a text is never empty).
  const sendFiles = (files: File[]) => {
    const chat = open();
    const sent = files.slice(0, MAX_FILES);
    if (sent.length === 0 || !chat) return;
    const caption = input.value.trim() || sent.map((f) => f.name).join(", ");
    send(chat, caption, Promise.all(sent.map(toSend)));
  };
  const picker = $<HTMLInputElement>("file");
  picker.onchange = () => {
    sendFiles([...picker.files ?? []]);
    picker.value = "";
  };
  // Pasted into the box (a screenshot, say) or dropped on the conversation: as if picked.
  input.onpaste = (event) => {
    const files = [...event.clipboardData?.files ?? []];
    if (files.length === 0) return; // text is pasted as text
    event.preventDefault();
    sendFiles(files);
  };
  const pane = $("conversation");
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes("Files") === true;
  pane.ondragover = (event) => carriesFiles(event) && event.preventDefault(); // allows the drop
  pane.ondrop = (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    sendFiles([...event.dataTransfer?.files ?? []]);
  };

  let lastTyping = 0;
  $<HTMLInputElement>("text").oninput = () => {
    const id = open()?.chatId;
    if (!id || Date.now() - lastTyping < TYPING_EVERY_MS) return;
    lastTyping = Date.now();
    client().typing(id).catch(() => {});
  };
}

// `file` with what it says of its media and its thumbnail (a large picture's, a video's), read
// here, offline too; the SDK uploads them in the message's turn.
async function toSend(file: File): Promise<FileToSend> {
  const media = await mediaOf(file);
  const small = await thumbnailOf(file, media);
  const thumbnail = small ? { blob: small.blob, ...small.size } : undefined;
  return { blob: file, name: file.name, ...media, ...(thumbnail ? { thumbnail } : {}) };
}
