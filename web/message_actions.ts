/// <reference lib="dom" />
/**
 * The buttons on a message: edit and delete one's own, report others' (in the
 * report panel, see blocks.ts), pin and star any (pins.ts, stars.ts), forward any
 * (forward.ts), react and reply to any (a reply is written in the composer, see replies.ts),
 * and take back one still waiting to go (a file going up stops). The others are each a
 * request over the socket; the page shows its effect once the server's
 * `message:edited`, `message:deleted` or `message:reactionUpdated` arrives, the
 * same event every other device of the chat gets, so all of them stay alike.
 * @module
 */
import type { ChatClient, MessageView } from "../src/sdk/mod.ts";
import { replyTo } from "./replies.ts";
import type { MessageActions } from "./message_list.ts";

/**
 * The actions of the message buttons, on the page's client; `name` names a
 * sender, `report` opens the report panel for a message.
 */
export function messageActions(
  client: () => ChatClient,
  options: {
    name: (userId: string) => string;
    report: (message: MessageView) => void;
    pin: (message: MessageView) => void;
    star: (message: MessageView) => void;
    forward: (message: MessageView) => void;
  },
): MessageActions {
  // A refusal (the message was deleted meanwhile, the edit is too long) is shown, and changes nothing.
  const report = (error: Error) => alert(error.message);
  return {
    edit(message) {
      const content = prompt("Edit message", message.content);
      if (content === null || !content.trim() || content === message.content) return;
      client().edit(message.id, content).catch(report);
    },
    remove(message) {
      if (confirm("Delete this message?")) client().delete(message.id).catch(report);
    },
    react(message, emoji) {
      client().react(message.id, emoji).catch(report);
    },
    reply(message) {
      replyTo(message, options.name(message.senderId));
    },
    report: options.report,
    pin: options.pin,
    star: options.star,
    forward: options.forward,
    cancel(clientMsgId) {
      client().cancel(clientMsgId); // false once on its way: it then goes, as the page shows
    },
  };
}
