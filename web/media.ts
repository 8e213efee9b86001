/// <reference lib="dom" />
/**
 * What the page declares of a file it uploads: a picture's or video's size in
 * pixels and a recording's length, read by the browser from the file itself,
 * so that the other side lays a picture out before its bytes arrive and shows
 * how long a voice note is; and for a large picture a thumbnail, drawn here,
 * which the other side shows instead of fetching the picture until it is
 * opened. A file the browser cannot read goes without them.
 * @module
 */
import {
  MAX_MEDIA_DURATION_MS,
  MAX_MEDIA_PIXELS,
  MAX_THUMBNAIL_BYTES,
  type MediaInfo,
  type RestClient,
} from "../src/sdk/mod.ts";

// A recording's length is in its first bytes; one the browser cannot read by then goes without.
const METADATA_WAIT_MS = 3000;
/** Audio or video: what a media element plays, and reads the length of. */
export const RECORDING = /^(audio|video)\//;

// A thumbnail fills the bubble's 320 × 240 (style.css) on a screen of two pixels per point.
const [THUMB_WIDTH, THUMB_HEIGHT] = [640, 480];
// Pictures worth a thumbnail; a GIF's would not move. Tried in turn: WebP (a browser that
// cannot write it writes PNG instead, too large for a photo), then JPEG.
const STILL = /^image\/(png|jpeg|webp|avif)$/;
const ENCODINGS = [["image/webp", 0.8], ["image/webp", 0.6], ["image/jpeg", 0.7]] as const;

/**
 * Uploads `file` to the chat with what it says of its media, after its
 * thumbnail when it is a picture larger than one; returns the file's id.
 */
export async function upload(rest: RestClient, chatId: string, file: File): Promise<string> {
  const media = await mediaOf(file);
  const small = await thumbnailOf(file, media);
  const thumbnail = small &&
    (await rest.uploadFile(chatId, small.blob, { name: "thumbnail", ...small.size })).id;
  return (await rest.uploadFile(chatId, file, { ...media, ...(thumbnail ? { thumbnail } : {}) }))
    .id;
}

// A picture of `file` within 640 × 480, at most the server's thumbnail bytes; none for a
// picture that is small already (it is its own thumbnail) or that this browser cannot draw.
async function thumbnailOf(
  file: Blob,
  { width, height }: MediaInfo,
): Promise<{ blob: Blob; size: { width: number; height: number } } | null> {
  if (!STILL.test(file.type) || file.size <= MAX_THUMBNAIL_BYTES || !width || !height) return null;
  const scale = Math.min(1, THUMB_WIDTH / width, THUMB_HEIGHT / height);
  const size = {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
  try {
    const bitmap = await createImageBitmap(file, {
      resizeWidth: size.width,
      resizeHeight: size.height,
      resizeQuality: "high",
    });
    const canvas = new OffscreenCanvas(size.width, size.height);
    canvas.getContext("2d")!.drawImage(bitmap, 0, 0);
    bitmap.close();
    for (const [type, quality] of ENCODINGS) {
      const blob = await canvas.convertToBlob({ type, quality });
      if (blob.size <= MAX_THUMBNAIL_BYTES) return { blob, size };
    }
  } catch {
    // Not a picture this browser draws: sent without.
  }
  return null;
}

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
    await new Promise<void>((resolve, reject) => {
      video.onloadedmetadata = () => resolve();
      video.onerror = () => reject(video.error);
      setTimeout(() => reject(new Error("no metadata")), METADATA_WAIT_MS);
    });
    const ms = Math.round(video.duration * 1000);
    const length = Number.isFinite(ms) && ms >= 1 && ms <= MAX_MEDIA_DURATION_MS
      ? { durationMs: ms }
      : {};
    return { ...pixels(video.videoWidth, video.videoHeight), ...length };
  } finally {
    URL.revokeObjectURL(video.src);
  }
}
