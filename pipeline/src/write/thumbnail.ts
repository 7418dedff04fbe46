/**
 * A composite's thumbnail (STAC best practice: a small browse image with role "thumbnail"): the
 * true-colour bytes as a PNG at most THUMBNAIL_SIZE pixels on its longer side, transparent where
 * there is no data. Written with sharp, loaded on first use (a native module).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { trueColorRgba } from "../products/truecolor.ts";
import { sha256File } from "./checksum.ts";

export const THUMBNAIL_SIZE = 256;

/** Writes `<dir>/thumbnail.png` from 8-bit red, green, blue (0 = no data) and returns its STAC asset. */
export async function writeThumbnail(dir: string, width: number, height: number, rgb: [Uint8Array, Uint8Array, Uint8Array]): Promise<Record<string, unknown>> {
  const { default: sharp } = await import("sharp");
  const rgba = trueColorRgba(rgb, width * height);
  const path = join(dir, "thumbnail.png");
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(width, height));
  await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: "nearest" })
    .png()
    .toFile(path);
  const [hex, st] = await Promise.all([sha256File(path), stat(path)]);
  return {
    href: "./thumbnail.png",
    type: "image/png",
    title: "Thumbnail (true colour)",
    roles: ["thumbnail"],
    "file:checksum": `1220${hex}`,
    "file:size": st.size,
  };
}
