/// <reference lib="dom" />
/**
 * The web chat page: log in, friends with online dots, groups and their members,
 * a conversation with ticks, typing, edits, deletes, reactions, replies and
 * mentions, stars, the panels by the title (panels.ts), and the backlog
 * arriving on return. Built on the client SDK; this file holds the page's state
 * and wires the parts; follow.ts applies the client's events to it.
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
import { $, groupLabel, type OpenChat, renderConversation, renderTitle } from "./view.ts";
import { renderMessages, scrollToMessage, type Shown } from "./message_list.ts";
import { bindLogin, forgetLogin, resumeLogin, saveLogin, showLoginForm } from "./login.ts";
import { bindSidebarForms, showMe } from "./sidebar_forms.ts";
import { bindComposer } from "./composer.ts";
import { filesOf } from "./attachments.ts";
import { Expiry } from "./expiry.ts";
import { Ticks } from "./ticks.ts";
import { Messages } from "./messages.ts";
import { messageActions } from "./message_actions.ts";
import { bindReplyBar, quoteOf, replyTo } from "./replies.ts";
import { People } from "./people.ts";
import { bindOlder } from "./older.ts";
import { ChatList } from "./chat_list.ts";
import { bindPanels } from "./panels.ts";
import { bindForward } from "./forward.ts";
import { bindSessions } from "./sessions.ts";
import { allowed } from "./members.ts";
import { Stars } from "./stars.ts";
import { followClient } from "./follow.ts";
import { Typing } from "./typing.ts";

const url = location.origin;

let rest: RestClient;
let client: ChatClient;
let me: UserView;
let open: OpenChat | undefined;
const list = new ChatList(() => rest, () => me.id);
const messages = new Messages({
  history: (chatId, options) => rest.history(chatId, options),
  changes: (chatId, after) => rest.changes(chatId, after),
});
const ticks = new Ticks((messageId) => rest.receipts(messageId));
const people = new People((userId) => rest.user(userId));
const nameOf = (userId: string) => userId === me.id ? "You" : people.name(userId);
const typing = new Typing((userId) => people.name(userId));
const panels = bindPanels({
  rest: () => rest,
  me: () => me.id,
  people,
  open: () => open,
  name: nameOf,
  changed: changedChat,
  refreshChats,
  left: closeChat,
  joined: showNewChat,
  newestSeq: (chatId) => messages.of(chatId).at(-1)?.seq,
});
const stars = new Stars({
  rest: () => rest,
  name: nameOf,
  groupName: (chatId) => {
    const chat = list.chats.get(chatId);
    return chat?.type === "group" ? groupLabel(chat) : undefined;
  },
  show: showMessage,
  changed: () => showChat(),
});
const forward = bindForward({
  client: () => client,
  chats: () => list.chats.values(),
  label: (chat) =>
    chat.type === "group"
      ? groupLabel(chat)
      : people.name(chat.participantIds.find((id) => id !== me.id) ?? me.id),
  sent: (chat) => openListed(chat.id),
});
const actions = messageActions(() => client, {
  name: nameOf,
  report: (message) => panels.blocks.reportMessage(message),
  pin: (message) => panels.pins.toggle(message),
  star: (message) => void stars.toggle(message),
  forward,
});

const expiry = new Expiry(() => showChat());
const showOlder = bindOlder(messages, { open: () => open?.chat.id, shown: showChat });

function showSidebar() {
  list.render(open, { openDirect, openChat: (chat) => openChat(chat) });
}

function showChat() {
  showOlder();
  if (!open) return;
  const stored: Shown[] = expiry.shown(messages.of(open.chat.id));
  const pending: Shown[] = client.outbox.filter((e) => e.chatId === open!.chat.id)
    .map((e) => ({ ...e, pending: true as const, senderId: me.id }));
  const chatId = open.chat.id;
  renderMessages([...stored, ...pending], me.id, {
    senderName: open.friend ? undefined : (userId) => people.name(userId),
    pinned: new Set(open.chat.pinnedMessageIds),
    mayPin: allowed(open.chat, me.id, "edit"),
    starred: (id) => stars.has(id),
    quote: (m) => quoteOf(m, (id) => messages.find(chatId, id), nameOf),
    files: (m) => filesOf(rest, m),
    actions,
  });
}

function markReadIfVisible() {
  if (!open || document.visibilityState !== "visible") return;
  const theirs = messages.of(open.chat.id).filter((m) => m.senderId !== me.id);
  const last = Math.max(0, ...theirs.map((m) => m.seq));
  if (last > 0) client.markRead(open.chat.id, last).catch(() => {});
  list.read(open.chat.id);
  showSidebar();
}

async function openDirect(friend: UserView) {
  const chat = await rest.directChat(friend.id);
  list.set(chat);
  await openChat(chat, friend);
}

async function openChat(chat: ChatView, friend?: UserView) {
  open = { chat, friend };
  replyTo(); // a reply belongs to the chat it was started in
  typing.clear(); // so do the typists shown
  renderConversation(open);
  await Promise.all([messages.load(chat.id), showGroup(chat)]);
  showChat();
  markReadIfVisible();
  $("text").focus();
}

// A chat as the server answered or announced it: kept, and shown where it is.
async function changedChat(chat: ChatView) {
  list.set(chat);
  if (chat.clearedSeq) messages.clear(chat.id, chat.clearedSeq);
  // Marked unread to come back to: closed, so that showing it does not read it.
  if (chat.markedUnread && open?.chat.id === chat.id) return deselect();
  showSidebar();
  await showGroup(chat);
}

// Opens a chat of the list, unless it is open (a direct chat with its friend's presence).
async function openListed(chatId: string) {
  const chat = list.chats.get(chatId);
  if (!chat || open?.chat.id === chatId) return;
  const other = chat.participantIds.find((id) => id !== me.id);
  const friend = chat.type === "direct" ? list.friends.find((f) => f.id === other) : undefined;
  await openChat(chat, friend);
}

// Opens a chat of the list and shows one of its messages (a star's link).
async function showMessage(chatId: string, seq: number) {
  await openListed(chatId);
  scrollToMessage(seq);
}

// The open group's name and members, named (members who are not friends are looked up).
async function showGroup(chat: ChatView) {
  if (open?.chat.id === chat.id) open.chat = chat;
  if (chat.type === "group") await people.load(chat.participantIds);
  if (open?.chat.id !== chat.id) return;
  renderTitle(open);
  panels.show(chat);
  showChat();
}

// The user left the chat or was removed from it: it goes from the page.
function closeChat(chatId: string) {
  list.delete(chatId);
  if (open?.chat.id === chatId) deselect();
  else showSidebar();
}

// No chat open: the conversation and its panels empty.
function deselect() {
  open = undefined;
  typing.clear();
  renderConversation();
  panels.show();
  showOlder();
  showSidebar();
}

// A chat this user just made or joined: into the list, and open.
async function showNewChat(chat: ChatView) {
  await refreshChats();
  await openChat(chat);
}

async function refreshChats() {
  await list.refresh();
  if (open) list.read(open.chat.id); // the open chat is being read: no badge for it
  people.remember(me, ...list.friends);
  showSidebar();
}

async function start(session: AuthSession) {
  const { token, expiresAt } = session;
  me = session.user;
  saveLogin(token);
  rest = new RestClient(url, token);
  showLoginForm(false);
  renderConversation();
  showMe(me);
  client = new ChatClient({ url, token, outbox: localStorageOutbox(`chat.outbox.${me.id}`) });
  // A tab left open past a token's lifetime stays logged in, up to the login's max age.
  keepLoggedIn(rest, client, {
    expiresAt,
    onRefresh: (fresh) => saveLogin(fresh.token),
    onEnded: logout,
  });
  followClient(client, {
    me: () => me,
    open: () => open,
    rest: () => rest,
    list,
    messages,
    ticks,
    people,
    stars,
    typing,
    showSidebar,
    showChat,
    refreshChats,
    markReadIfVisible,
    changedChat,
    closeChat,
    showGroup,
    logout,
  });
  client.connect();
  await Promise.all([refreshChats(), panels.blocks.load()]);
  panels.offerInvite();
  await stars.load(); // after the chats: the list names them
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
    await openDirect(list.friends.find((f) => f.id === user.id) ?? user);
  },
  groupCreated: showNewChat,
  profileSaved(user) {
    me = user;
    people.remember(user);
  },
  loggedOutEverywhere: leave,
  accountDeleted: leave,
});

bindComposer(
  () => client,
  () =>
    open && {
      chatId: open.chat.id,
      members: new Map(open.chat.participantIds.flatMap((id) => {
        const name = people.username(id);
        return name ? [[name.toLowerCase(), id] as const] : [];
      })),
    },
  { rest: () => rest },
);
bindReplyBar();
bindSessions(() => rest);

$("logout").onclick = logout;
document.addEventListener("visibilitychange", markReadIfVisible);

resumeLogin(url).then((session) => session ? start(session) : showLoginForm(true));
