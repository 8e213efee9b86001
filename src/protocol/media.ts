/**
 * The bounds of what an uploader declares of a file's media (an extension):
 * the upload's query (`files.ts`) refuses values past them, and a client
 * checks them before it declares, since one value out of bounds refuses the
 * whole upload. No zod here, so that a browser bundle takes these for nothing.
 * @module
 */

/** The largest width or height in pixels a file may declare. */
export const MAX_MEDIA_PIXELS = 65_535;

/** The longest recording a file may declare, in milliseconds: a day. */
export const MAX_MEDIA_DURATION_MS = 86_400_000;

/**
 * The largest thumbnail in bytes: room for a sharp picture of a few hundred
 * pixels, small enough that a list of them costs a phone little.
 */
export const MAX_THUMBNAIL_BYTES = 64 * 1024;
