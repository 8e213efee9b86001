/// <reference lib="dom" />
/**
 * What the page declares of a file it uploads: a picture's or video's size in
 * pixels and a recording's length, read by the browser from the file itself,
 * so that the other side lays a picture out before its bytes arrive and shows
 * how long a voice note is. A file the browser cannot read goes without them.
 * @module
 */
import { MAX_MEDIA_DURATION_MS, MAX_MEDIA_PIXELS, type MediaInfo } from "../src/sdk/mod.ts";

// A recording's length and first frame are in its first bytes; one the browser cannot read by
// then goes without.
const LOAD_WAIT_MS = 3000;
/** Audio or video: what a media element plays, and reads the length of. */
export const RECORDING = /^(audio|video)\//;

/** What `file` says of its media, as far as this browser can read it. */
export async function mediaOf(file: Blob): Promise<MediaInfo> {
  try {
    if (file.type.startsWith("image/")) {
      const bitmap = await createImageBitmap(file);
      const size = pixels(bitmap.width, bitmap.height);
      bitmap.close();
      return size;
    }
    if (RECORDING.test(file.type)) return await recording(file);
  } catch {
    // Not a picture or recording this browser decodes: sent without.
  }
  return {};
}

function pixels(width: number, height: number): MediaInfo {
  // Past the server's bounds, a value would refuse the whole upload.
  const fits = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_MEDIA_PIXELS;
  return fits(width) && fits(height) ? { width, height } : {};
}

// A video element reads audio too; it gives the length and, for a video, the size.
async function recording(file: Blob): Promise<MediaInfo> {
  const video = document.createElement("video");
  video.preload = "metadata";
  video.src = URL.createObjectURL(file);
  try {
    await loaded(video, "loadedmetadata");
    const ms = Math.round(video.duration * 1000);
    const length = Number.isFinite(ms) && ms >= 1 && ms <= MAX_MEDIA_DURATION_MS
      ? { durationMs: ms }
      : {};
    return { ...pixels(video.videoWidth, video.videoHeight), ...length };
  } finally {
    URL.revokeObjectURL(video.src);
  }
}

/**
 * A size of `width` × `height` scaled down, shape kept, to fit within
 * `maxWidth` × `maxHeight` (never up, never under a pixel).
 */
export function fitWithin(
  { width, height }: { width: number; height: number },
  maxWidth: number,
  maxHeight: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxWidth / width, maxHeight / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * Resolves once `media` has fired `event` (its metadata, or its first frame
 * decoded); rejects when it fails to load, or is still loading after 3 s.
 */
export function loaded(
  media: HTMLMediaElement,
  event: "loadedmetadata" | "loadeddata",
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    media.addEventListener(event, () => resolve(), { once: true });
    media.onerror = () => reject(media.error);
    setTimeout(() => reject(new Error(`no ${event}`)), LOAD_WAIT_MS);
  });
}
