/// <reference lib="dom" />
/**
 * The web chat page: log in, friends with online dots, group chats, a
 * conversation with ticks, typing, edits, deletes and reactions, and the backlog
 * arriving on return. Built on the client SDK.
 * @module
 */
import {
  type AuthSession,
  ChatClient,
  type ChatView,
  keepLoggedIn,
  localStorageOutbox,
  RestClient,
  type UserView,
} from "../src/sdk/mod.ts";
import { $, renderFriends, renderGroups, renderMessages, type Shown } from "./view.ts";
import { bindLogin, forgetLogin, resumeLogin, saveLogin } from "./login.ts";
import { bindSidebarForms } from "./sidebar_forms.ts";
import { bindComposer, showTyping } from "./composer.ts";
import { Ticks } from "./ticks.ts";
import { Messages } from "./messages.ts";
import { messageActions } from "./message_actions.ts";

const url = location.origin;

let rest: RestClient;
let client: ChatClient;
let me: UserView;
let friends: UserView[] = [];
let open: { chat: ChatView; friend?: UserView } | undefined;
const chats = new Map<string, ChatView>(); // chat id → chat
const chatOf = new Map<string, string>(); // friend id → direct chat id
const messages = new Messages({
  history: (chatId, options) => rest.history(chatId, options),
  changes: (chatId, after) => rest.changes(chatId, after),
});
const unread = new Map<string, number>(); // chat id → count
const ticks = new Ticks((messageId) => rest.receipts(messageId));
const actions = messageActions(() => client);

const nameOf = (userId: string) => {
  const user = userId === me.id ? me : friends.find((f) => f.id === userId);
  return user ? user.displayName || user.username : "someone";
};

function showSidebar() {
  const byFriend = new Map(friends.map((f) => [f.id, unread.get(chatOf.get(f.id) ?? "") ?? 0]));
  renderFriends(friends, { current: open?.friend?.id, unread: byFriend, open: openDirect });
  const groups = [...chats.values()].filter((chat) => chat.type === "group");
  renderGroups(groups, { current: open?.chat.id, unread, open: (chat) => openChat(chat) });
}

function showChat() {
  if (!open) return;
  const stored: Shown[] = messages.of(open.chat.id);
  const pending: Shown[] = client.outbox.filter((e) => e.chatId === open!.chat.id)
    .map((e) => ({ ...e, pending: true as const, senderId: me.id }));
  renderMessages([...stored, ...pending], me.id, {
    senderName: open.friend ? undefined : nameOf,
    actions,
  });
}

function markReadIfVisible() {
  if (!open || document.visibilityState !== "visible") return;
  const theirs = messages.of(open.chat.id).filter((m) => m.senderId !== me.id);
  const last = Math.max(0, ...theirs.map((m) => m.seq));
  if (last > 0) client.markRead(open.chat.id, last).catch(() => {});
  unread.delete(open.chat.id);
  showSidebar();
}

async function openDirect(friend: UserView) {
  const chat = await rest.directChat(friend.id);
  chatOf.set(friend.id, chat.id);
  chats.set(chat.id, chat);
  await openChat(chat, friend);
}

async function openChat(chat: ChatView, friend?: UserView) {
  open = { chat, friend };
  $("chat-title").textContent = friend
    ? friend.displayName || friend.username
    : `# ${chat.name ?? "group"}`;
  $("composer").hidden = false;
  await messages.load(chat.id);
  showChat();
  markReadIfVisible();
  $("text").focus();
}

async function refreshChats() {
  friends = await rest.friends();
  for (const chat of await rest.chats()) {
    chats.set(chat.id, chat);
    const other = chat.participantIds.find((id) => id !== me.id);
    if (chat.type === "direct" && other) chatOf.set(other, chat.id);
  }
  showSidebar();
}

async function start(session: AuthSession) {
  const { token, expiresAt } = session;
  me = session.user;
  saveLogin(token);
  rest = new RestClient(url, token);
  $("login").hidden = true;
  $("app").hidden = false;
  $("me").textContent = me.displayName || me.username;
  client = new ChatClient({ url, token, outbox: localStorageOutbox(`chat.outbox.${me.id}`) });
  // A tab left open past a token's lifetime stays logged in, up to the login's max age.
  keepLoggedIn(rest, client, {
    expiresAt,
    onRefresh: (fresh) => saveLogin(fresh.token),
    onEnded: logout,
  });
  client.on("connection", (state) => {
    $("connection").textContent = state === "connected" ? "online" : "reconnecting…";
    if (state === "unauthorized") logout();
  });
  client.on("message", async (m) => {
    messages.remember(m);
    if (!chats.has(m.chatId)) await refreshChats();
    if (m.chatId !== open?.chat.id) unread.set(m.chatId, (unread.get(m.chatId) ?? 0) + 1);
    showSidebar();
    showChat();
    markReadIfVisible();
  });
  // Ours: from this tab's outbox, or sent from another tab or device.
  client.on("sent", async (m) => {
    messages.remember(m);
    ticks.follow(m.id);
    if (!chats.has(m.chatId)) await refreshChats();
    showChat();
  });
  client.on("read", (r) => (unread.delete(r.chatId), showSidebar()));
  client.on("outbox", () => showChat());
  client.on("status", async (s) => {
    const recipients = (chats.get(s.chatId)?.participantIds.length ?? 2) - 1;
    const message = messages.find(s.chatId, s.messageId);
    if (message) await ticks.record(message, s, recipients);
    showChat();
  });
  messages.follow(client, (chatId) => chatId === open?.chat.id && showChat());
  client.on("presence", (p) => {
    const friend = friends.find((f) => f.id === p.userId);
    if (friend) {
      Object.assign(friend, { isOnline: p.online, lastSeen: p.online ? friend.lastSeen : p.at });
    }
    showSidebar();
  });
  client.on("typing", (t) => {
    if (t.chatId === open?.chat.id) showTyping(t.typing ? nameOf(t.userId) : undefined);
  });
  client.connect();
  await refreshChats();
}

function showLogin() {
  $("app").hidden = true;
  $("login").hidden = false;
}

function logout() {
  rest?.logout().catch(() => {});
  leave();
}

function leave() {
  client?.close();
  forgetLogin();
  location.reload();
}

bindLogin(url, start);

bindSidebarForms({
  rest: () => rest,
  async friendAdded(user) {
    await refreshChats();
    await openDirect(friends.find((f) => f.id === user.id) ?? user);
  },
  async groupCreated(chat) {
    await refreshChats();
    await openChat(chat);
  },
  loggedOutEverywhere: leave,
});

bindComposer(() => client, () => open?.chat.id);

$("logout").onclick = logout;
document.addEventListener("visibilitychange", markReadIfVisible);

resumeLogin(url).then((session) => session ? start(session) : showLogin());
