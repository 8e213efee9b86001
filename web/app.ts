/// <reference lib="dom" />
/**
 * The web chat page: log in, friends with online dots, a conversation with
 * ticks, typing, and the backlog arriving on return. Built on the client SDK.
 * @module
 */
import {
  ChatClient,
  ChatClientError,
  localStorageOutbox,
  type MessageView,
  RestClient,
  type UserView,
} from "../src/sdk/mod.ts";
import { $, renderFriends, renderMessages, type Shown } from "./view.ts";
import { bindLogin } from "./login.ts";

const url = location.origin;
const SESSION = "chat.session";

let rest: RestClient;
let client: ChatClient;
let me: UserView;
let friends: UserView[] = [];
let open: { chatId: string; friend: UserView } | undefined;
const chatOf = new Map<string, string>(); // friend id → direct chat id
const messages = new Map<string, Map<number, MessageView>>(); // chat id → seq → message
const unread = new Map<string, number>(); // friend id → count
const typing = new Map<string, ReturnType<typeof setTimeout>>();

function showFriends() {
  renderFriends(friends, { current: open?.friend.id, unread, open: openChat });
}

function showChat() {
  if (!open) return;
  const stored: Shown[] = [...(messages.get(open.chatId)?.values() ?? [])].sort((a, b) =>
    a.seq - b.seq
  );
  const pending: Shown[] = client.outbox.filter((e) => e.chatId === open!.chatId)
    .map((e) => ({ ...e, pending: true as const, senderId: me.id }));
  renderMessages([...stored, ...pending], me.id);
}

function remember(message: MessageView) {
  let chat = messages.get(message.chatId);
  if (!chat) messages.set(message.chatId, chat = new Map());
  chat.set(message.seq, message);
}

function markReadIfVisible() {
  if (!open || document.visibilityState !== "visible") return;
  const theirs = [...(messages.get(open.chatId)?.values() ?? [])].filter((m) =>
    m.senderId !== me.id
  );
  const last = Math.max(0, ...theirs.map((m) => m.seq));
  if (last > 0) client.markRead(open.chatId, last).catch(() => {});
  unread.delete(open.friend.id);
  showFriends();
}

async function openChat(friend: UserView) {
  const chat = await rest.directChat(friend.id);
  chatOf.set(friend.id, chat.id);
  open = { chatId: chat.id, friend };
  $("chat-title").textContent = friend.displayName || friend.username;
  $("composer").hidden = false;
  for (const m of (await rest.history(chat.id, { limit: 100 })).messages) remember(m);
  showChat();
  markReadIfVisible();
  $("text").focus();
}

async function refreshFriends() {
  friends = await rest.friends();
  for (const chat of await rest.chats()) {
    const other = chat.participantIds.find((id) => id !== me.id);
    if (chat.type === "direct" && other) chatOf.set(other, chat.id);
  }
  showFriends();
}

function friendOfChat(chatId: string) {
  return friends.find((f) => chatOf.get(f.id) === chatId);
}

async function start(session: { token: string }) {
  rest = new RestClient(url, session.token);
  try {
    me = await rest.me();
  } catch {
    localStorage.removeItem(SESSION);
    return showLogin();
  }
  $("login").hidden = true;
  $("app").hidden = false;
  $("me").textContent = me.displayName || me.username;
  client = new ChatClient({
    url,
    token: session.token,
    outbox: localStorageOutbox(`chat.outbox.${me.id}`),
  });
  client.on("connection", (state) => {
    $("connection").textContent = state === "connected" ? "online" : "reconnecting…";
    if (state === "unauthorized") logout();
  });
  client.on("message", async (m) => {
    remember(m);
    if (!friendOfChat(m.chatId)) await refreshFriends();
    const friend = friendOfChat(m.chatId);
    if (friend && m.chatId !== open?.chatId) {
      unread.set(friend.id, (unread.get(friend.id) ?? 0) + 1);
    }
    showFriends();
    showChat();
    markReadIfVisible();
  });
  client.on("sent", (m) => (remember(m), showChat()));
  client.on("outbox", () => showChat());
  client.on("status", (s) => {
    for (const chat of messages.values()) {
      for (const m of chat.values()) {
        if (m.id === s.messageId && (m.status !== "read")) m.status = s.status;
      }
    }
    showChat();
  });
  client.on("presence", (p) => {
    const friend = friends.find((f) => f.id === p.userId);
    if (friend) {
      Object.assign(friend, { isOnline: p.online, lastSeen: p.online ? friend.lastSeen : p.at });
    }
    showFriends();
  });
  client.on("typing", (t) => {
    if (t.chatId !== open?.chatId) return;
    clearTimeout(typing.get(t.chatId));
    $("typing").textContent = t.typing
      ? `${open.friend.displayName || open.friend.username} is typing…`
      : "";
    if (t.typing) typing.set(t.chatId, setTimeout(() => ($("typing").textContent = ""), 6000));
  });
  client.connect();
  await refreshFriends();
}

function showLogin() {
  $("app").hidden = true;
  $("login").hidden = false;
}

function logout() {
  rest?.logout().catch(() => {});
  client?.close();
  localStorage.removeItem(SESSION);
  location.reload();
}

bindLogin(url, async (session) => {
  localStorage.setItem(SESSION, JSON.stringify({ token: session.token }));
  await start(session);
});

$<HTMLFormElement>("add-friend").onsubmit = async (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const input = form.elements.namedItem("username") as HTMLInputElement;
  try {
    const user = await rest.findUser(input.value.trim());
    await rest.addFriend(user.id);
    input.value = "";
    $("friend-error").textContent = "";
    await refreshFriends();
    await openChat(friends.find((f) => f.id === user.id) ?? user);
  } catch (error) {
    $("friend-error").textContent = error instanceof ChatClientError ? error.message : "Cannot add";
  }
};

$<HTMLFormElement>("composer").onsubmit = (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>("text");
  if (!open || !input.value.trim()) return;
  client.send(open.chatId, input.value).catch((e) => alert(e.message));
  client.typing(open.chatId, false).catch(() => {});
  input.value = "";
};

let lastTyping = 0;
$<HTMLInputElement>("text").oninput = () => {
  if (!open || Date.now() - lastTyping < 2000) return;
  lastTyping = Date.now();
  client.typing(open.chatId).catch(() => {});
};

$("logout").onclick = logout;
document.addEventListener("visibilitychange", markReadIfVisible);

const saved = localStorage.getItem(SESSION);
if (saved) start(JSON.parse(saved));
else showLogin();
