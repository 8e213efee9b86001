/// <reference lib="dom" />
/**
 * The web chat page: log in, friends with online dots, groups and their members,
 * a conversation with ticks, typing, edits, deletes, reactions, replies and
 * mentions, stars, the panels by the title (panels.ts), and the backlog
 * arriving on return. Built on the client SDK; this file holds the page's state
 * and wires the parts; conversation.ts opens and draws a chat, and follow.ts
 * applies the client's events to it all.
 * @module
 */
import {
  type AuthSession,
  ChatClient,
  keepLoggedIn,
  localStorageOutbox,
  RestClient,
  type UserView,
} from "../src/sdk/mod.ts";
import { $, groupLabel, renderConversation } from "./view.ts";
import { bindLogin, forgetLogin, resumeLogin, saveLogin, showLoginForm } from "./login.ts";
import { bindSidebarForms, showMe } from "./sidebar_forms.ts";
import { bindComposer } from "./composer.ts";
import { Ticks } from "./ticks.ts";
import { Messages } from "./messages.ts";
import { messageActions } from "./message_actions.ts";
import { bindReplyBar } from "./replies.ts";
import { People } from "./people.ts";
import { ChatList } from "./chat_list.ts";
import { bindPanels } from "./panels.ts";
import { bindForward } from "./forward.ts";
import { bindSessions } from "./sessions.ts";
import { Stars } from "./stars.ts";
import { followClient } from "./follow.ts";
import { Typing } from "./typing.ts";
import { Here } from "./here.ts";
import { Conversation } from "./conversation.ts";
import { indexedDbFiles } from "./file_stash.ts";

const url = location.origin;

let rest: RestClient;
let client: ChatClient;
let me: UserView;
const list = new ChatList(() => rest, () => me.id);
const messages = new Messages({
  history: (chatId, options) => rest.history(chatId, options),
  changes: (chatId, after) => rest.changes(chatId, after),
});
const ticks = new Ticks((messageId) => rest.receipts(messageId));
const people = new People((userId) => rest.user(userId));
const nameOf = (userId: string) => userId === me.id ? "You" : people.name(userId);
const typing = new Typing((userId) => people.name(userId));
const here = new Here(() => client, (userId) => people.name(userId));
// The parts below call the conversation back only once the page runs, after it is made.
const panels = bindPanels({
  rest: () => rest,
  me: () => me.id,
  people,
  open: () => conversation.open,
  name: nameOf,
  changed: (chat) => conversation.changedChat(chat),
  refreshChats: () => conversation.refreshChats(),
  left: (chatId) => conversation.closeChat(chatId),
  joined: (chat) => conversation.showNewChat(chat),
  newestSeq: (chatId) => messages.of(chatId).at(-1)?.seq,
});
const stars = new Stars({
  rest: () => rest,
  name: nameOf,
  groupName: (chatId) => {
    const chat = list.chats.get(chatId);
    return chat?.type === "group" ? groupLabel(chat) : undefined;
  },
  show: (chatId, seq) => conversation.showMessage(chatId, seq),
  changed: () => conversation.showChat(),
});
const forward = bindForward({
  client: () => client,
  chats: () => list.chats.values(),
  label: (chat) =>
    chat.type === "group"
      ? groupLabel(chat)
      : people.name(chat.participantIds.find((id) => id !== me.id) ?? me.id),
  sent: (chat) => conversation.openListed(chat.id),
});
const actions = messageActions(() => client, {
  name: nameOf,
  report: (message) => panels.blocks.reportMessage(message),
  pin: (message) => panels.pins.toggle(message),
  star: (message) => void stars.toggle(message),
  forward,
});
const conversation = new Conversation({
  me: () => me,
  rest: () => rest,
  client: () => client,
  name: nameOf,
  ...{ list, messages, people, typing, here, stars, panels, actions },
});

async function start(session: AuthSession) {
  const { token, expiresAt } = session;
  me = session.user;
  saveLogin(token);
  rest = new RestClient(url, token);
  showLoginForm(false);
  renderConversation();
  showMe(me);
  // Unsent messages outlive the page in localStorage, their files' bytes in IndexedDB.
  const outbox = localStorageOutbox(`chat.outbox.${me.id}`);
  client = new ChatClient({ url, token, outbox, files: indexedDbFiles() });
  // A tab left open past a token's lifetime stays logged in, up to the login's max age.
  keepLoggedIn(rest, client, {
    expiresAt,
    onRefresh: (fresh) => saveLogin(fresh.token),
    onEnded: logout,
  });
  followClient(client, {
    me: () => me,
    rest: () => rest,
    ...{ list, messages, ticks, people, stars, typing, here, conversation },
    logout,
  });
  client.connect();
  await Promise.all([conversation.refreshChats(), panels.blocks.load()]);
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
    await conversation.refreshChats();
    await conversation.openDirect(list.friends.find((f) => f.id === user.id) ?? user);
  },
  groupCreated: (chat) => conversation.showNewChat(chat),
  profileSaved(user) {
    me = user;
    people.remember(user);
  },
  loggedOutEverywhere: leave,
  accountDeleted: leave,
});

bindComposer(
  () => client,
  () => {
    const { open } = conversation;
    return open && {
      chatId: open.chat.id,
      members: new Map(open.chat.participantIds.flatMap((id: string) => {
        const name = people.username(id);
        return name ? [[name.toLowerCase(), id] as const] : [];
      })),
    };
  },
);
bindReplyBar();
bindSessions(() => rest);

$("logout").onclick = logout;
document.addEventListener("visibilitychange", () => conversation.markReadIfVisible());

resumeLogin(url).then((session) => session ? start(session) : showLoginForm(true));
