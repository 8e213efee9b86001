/// <reference lib="dom" />
/**
 * The thumbnail the page sends with a large picture or a video: a picture of it
 * within 640 × 480, drawn here (the server decodes no media), which the other
 * side shows instead of fetching the file until it is opened or played.
 * @module
 */
import { MAX_THUMBNAIL_BYTES, type MediaInfo } from "../src/sdk/mod.ts";
import { fitWithin, loaded } from "./media.ts";

// A thumbnail fills the bubble's 320 × 240 (style.css) on a screen of two pixels per point.
const [THUMB_WIDTH, THUMB_HEIGHT] = [640, 480];
// Pictures worth a thumbnail; a GIF's would not move.
const STILL = /^image\/(png|jpeg|webp|avif)$/;
// Tried in turn: WebP (a browser that cannot write it writes PNG, too large for a photo), JPEG.
const ENCODINGS = [["image/webp", 0.8], ["image/webp", 0.6], ["image/jpeg", 0.7]] as const;

/** A thumbnail's bytes and size in pixels. */
export interface Thumbnail {
  blob: Blob;
  size: { width: number; height: number };
}

/**
 * A thumbnail of `file` whose declared size is `media`: of a picture larger
 * than a thumbnail (a smaller one is its own), or of a video's first frame;
 * none for anything else, or what this browser cannot draw.
 */
export async function thumbnailOf(file: Blob, media: MediaInfo): Promise<Thumbnail | null> {
  const { width, height } = media;
  const picture = STILL.test(file.type) && file.size > MAX_THUMBNAIL_BYTES;
  if (!width || !height || !(picture || file.type.startsWith("video/"))) return null;
  const size = fitWithin({ width, height }, THUMB_WIDTH, THUMB_HEIGHT);
  const video = picture ? null : document.createElement("video");
  try {
    if (video) {
      video.muted = true;
      video.preload = "auto"; // to decode a frame, not only read the metadata
      video.src = URL.createObjectURL(file);
      await loaded(video, "loadeddata");
    }
    const bitmap = await createImageBitmap(video ?? file, {
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
    // Not a picture or video this browser draws: sent without.
  } finally {
    if (video) URL.revokeObjectURL(video.src);
  }
  return null;
}
