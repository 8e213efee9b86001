/**
 * The worker side of `bench/_sqlite_store.ts`: a node:sqlite file written by one
 * thread of its own, one transaction per batch of sends and acks.
 *
 * It does what the KV store's send and ack commits do (see
 * `src/adapters/kv/append.ts` and `receipts.ts`): the idempotency check, the
 * chat and membership reads, the chat's next seq, the message row, a pending row
 * per recipient, the chat's and the sender's membership update; an ack deletes
 * the pending row if it is still there. WAL with `synchronous=FULL`, so a batch
 * is on disk when its answer leaves, as a KV commit is.
 * @module
 */
/// <reference lib="deno.worker" />
import { DatabaseSync } from "node:sqlite";
import type { Batch, BatchResult } from "./_sqlite_store.ts";

const SCHEMA = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = FULL;
  CREATE TABLE IF NOT EXISTS chats (id TEXT PRIMARY KEY, participant_ids TEXT NOT NULL,
    last_seq INTEGER NOT NULL, last_activity_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS members (chat_id TEXT, user_id TEXT, read_seq INTEGER NOT NULL,
    own_after_read INTEGER NOT NULL, PRIMARY KEY (chat_id, user_id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS messages (chat_id TEXT, seq INTEGER, id TEXT NOT NULL UNIQUE,
    sender_id TEXT NOT NULL, client_msg_id TEXT NOT NULL, content TEXT NOT NULL,
    created_at TEXT NOT NULL, recipient_ids TEXT NOT NULL, PRIMARY KEY (chat_id, seq),
    UNIQUE (sender_id, client_msg_id)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS pending (user_id TEXT, chat_id TEXT, seq INTEGER,
    recipients INTEGER NOT NULL, PRIMARY KEY (user_id, chat_id, seq)) WITHOUT ROWID;`;

let db: DatabaseSync;
let sql: ReturnType<typeof statements>;

function statements(db: DatabaseSync) {
  return {
    dup: db.prepare("SELECT chat_id, seq FROM messages WHERE sender_id = ? AND client_msg_id = ?"),
    chat: db.prepare("SELECT participant_ids, last_seq FROM chats WHERE id = ?"),
    member: db.prepare("SELECT own_after_read FROM members WHERE chat_id = ? AND user_id = ?"),
    message: db.prepare("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
    pending: db.prepare("INSERT INTO pending VALUES (?, ?, ?, ?)"),
    bumpChat: db.prepare("UPDATE chats SET last_seq = ?, last_activity_at = ? WHERE id = ?"),
    bumpMember: db.prepare(
      "UPDATE members SET own_after_read = own_after_read + 1 WHERE chat_id = ? AND user_id = ?",
    ),
    ack: db.prepare(
      "DELETE FROM pending WHERE user_id = ? AND chat_id = ? AND seq = ? RETURNING recipients",
    ),
    addChat: db.prepare("INSERT INTO chats VALUES (?, ?, 0, ?)"),
    addMember: db.prepare("INSERT INTO members VALUES (?, ?, 0, 0)"),
  };
}

function run(batch: Batch): BatchResult {
  const result: BatchResult = { seqs: [], acked: [] };
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const chat of batch.chats) {
      sql.addChat.run(chat.id, JSON.stringify(chat.participantIds), chat.createdAt);
      for (const userId of chat.participantIds) sql.addMember.run(chat.id, userId);
    }
    for (const send of batch.sends) {
      const earlier = sql.dup.get(send.senderId, send.clientMsgId);
      if (earlier) {
        result.seqs.push(earlier.chat_id === send.chatId ? -Number(earlier.seq) : 0);
        continue;
      }
      const chat = sql.chat.get(send.chatId);
      const member = chat && sql.member.get(send.chatId, send.senderId);
      if (!chat || !member) {
        result.seqs.push(0);
        continue;
      }
      const seq = Number(chat.last_seq) + 1;
      const recipients = (JSON.parse(String(chat.participant_ids)) as string[])
        .filter((id) => id !== send.senderId);
      sql.message.run(
        send.chatId,
        seq,
        send.id,
        send.senderId,
        send.clientMsgId,
        send.content,
        send.createdAt,
        JSON.stringify(recipients),
      );
      for (const userId of recipients) sql.pending.run(userId, send.chatId, seq, recipients.length);
      sql.bumpChat.run(seq, send.createdAt, send.chatId);
      sql.bumpMember.run(send.chatId, send.senderId);
      result.seqs.push(seq);
    }
    for (const ack of batch.acks) {
      result.acked.push(sql.ack.get(ack.userId, ack.chatId, ack.seq) !== undefined);
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
  return result;
}

self.onmessage = (event: MessageEvent<{ path: string } | Batch>) => {
  const data = event.data;
  if ("path" in data) {
    db = new DatabaseSync(data.path);
    db.exec(SCHEMA);
    sql = statements(db);
    self.postMessage({ ready: true });
    return;
  }
  try {
    self.postMessage({ result: run(data) });
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};
