/// <reference lib="dom" />
/**
 * What sits by the open chat's title, each part in a file of its own: a
 * group's members (members.ts) and invite link (invites.ts), block and report (blocks.ts), mute and archive (preferences.ts),
 * search (search.ts) and pins (pins.ts). This file wires them to the page;
 * `show` draws them all for the open chat, or for none.
 * @module
 */
import type { ChatView, RestClient } from "../src/sdk/mod.ts";
import { bindBlocks, type Blocks } from "./blocks.ts";
import { bindInvites } from "./invites.ts";
import { bindMembers } from "./members.ts";
import { bindPreferences } from "./preferences.ts";
import type { People } from "./people.ts";
import { bindPins, type Pins } from "./pins.ts";
import { bindSearch } from "./search.ts";
import type { OpenChat } from "./view.ts";

/** What the panels need from the page. */
export interface PanelOptions {
  rest: () => RestClient;
  me: () => string;
  people: People;
  /** The open chat, if any. */
  open: () => OpenChat | undefined;
  /** The name to show for a user. */
  name: (userId: string) => string;
  /** A chat as the server answered this page's change: kept, and drawn again. */
  changed: (chat: ChatView) => Promise<void>;
  /** Reads the chat list and friends again (a block ends a friendship). */
  refreshChats: () => Promise<void>;
  /** The user left a chat or was removed from it. */
  left: (chatId: string) => void;
  /** The seq of the newest message the page shows of a chat, if any. */
  newestSeq: (chatId: string) => number | undefined;
  /** The user joined a group by an invite link. */
  joined: (chat: ChatView) => Promise<void>;
}

/** The panels: `show` draws them; blocks and pins also serve the message buttons. */
export interface Panels {
  show(chat?: ChatView): void;
  blocks: Blocks;
  pins: Pins;
  /** Offers to join the group of the invite link the page was opened at, if any. */
  offerInvite(): void;
}

/** Wires every panel. */
export function bindPanels(options: PanelOptions): Panels {
  const { rest, people, changed, name } = options;
  const open = () => options.open()?.chat;
  const showMembers = bindMembers({
    rest,
    me: options.me,
    people,
    open,
    changed,
    left: options.left,
  });
  const blocks = bindBlocks({
    rest,
    me: options.me,
    people,
    open: options.open,
    // A block ends a friendship: the lists are read again, and the open chat if it changed.
    changed: async (chat) => {
      await options.refreshChats();
      if (chat) await changed(chat);
    },
  });
  const invites = bindInvites({ rest, me: options.me, open, joined: options.joined });
  const showPreferences = bindPreferences({
    rest,
    open,
    changed,
    newestSeq: options.newestSeq,
  });
  const showSearch = bindSearch({ rest, open, name });
  const pins = bindPins({ rest, open, name, changed });
  return {
    show(chat) {
      showMembers(chat);
      invites.show(chat);
      blocks.show();
      showPreferences();
      showSearch();
      pins.show();
    },
    blocks,
    pins,
    offerInvite: invites.offer,
  };
}
