/**
 * The fields many payload schemas share.
 * @module
 */
import { z } from "zod";

/** An id in a payload: opaque, bounded. */
export const id = z.string().min(1).max(64);
/**
 * Client-chosen idempotency key: the same key from the same sender never makes
 * a second message.
 */
export const clientMsgId = z.string().min(1).max(128);
/** A picture's address (a group's, an avatar): an http(s) URL. */
export const pictureUrl = z.url({ protocol: /^https?$/ }).max(2048);
/** A new password, at registration or a change. */
export const password = z.string().min(8).max(256);
