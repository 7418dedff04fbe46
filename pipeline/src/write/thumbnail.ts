/**
 * A composite's thumbnail (STAC best practice: a small browse image with role "thumbnail"): the
 * true-colour bytes as a PNG at most THUMBNAIL_SIZE pixels on its longer side, transparent where
 * there is no data. The image is sampled nearest-neighbour (each thumbnail pixel takes the source
 * pixel under its centre) as strips of the full image go by, so it never needs the full image in
 * memory; sharp (loaded on first use: a native module) only encodes the small PNG.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { sha256File } from "./checksum.ts";

export const THUMBNAIL_SIZE = 256;

/** Collects a thumbnail from full-width strips of 8-bit red, green, blue (0 = no data), in any order. */
export class ThumbnailSampler {
  readonly width: number;
  readonly height: number;
  private readonly rgba: Uint8Array;
  private readonly cols: Int32Array;

  constructor(
    private readonly sourceWidth: number,
    private readonly sourceHeight: number,
  ) {
    const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(sourceWidth, sourceHeight));
    this.width = Math.max(1, Math.round(sourceWidth * scale));
    this.height = Math.max(1, Math.round(sourceHeight * scale));
    this.rgba = new Uint8Array(this.width * this.height * 4);
    this.cols = Int32Array.from({ length: this.width }, (_, x) => Math.floor(((x + 0.5) * sourceWidth) / this.width));
  }

  /** Source rows y0 .. y0 + rows - 1 (each band holds sourceWidth * rows bytes). */
  addRows(y0: number, rows: number, rgb: readonly [Uint8Array, Uint8Array, Uint8Array]): void {
    for (let y = 0; y < this.height; y++) {
      const sy = Math.floor(((y + 0.5) * this.sourceHeight) / this.height);
      if (sy < y0 || sy >= y0 + rows) continue;
      for (let x = 0; x < this.width; x++) {
        const s = (sy - y0) * this.sourceWidth + this.cols[x]!;
        if (rgb[0][s]) this.rgba.set([rgb[0][s]!, rgb[1][s]!, rgb[2][s]!, 255], (y * this.width + x) * 4);
      }
    }
  }

  /** Writes `<dir>/thumbnail.png` and returns its STAC asset. */
  async write(dir: string): Promise<Record<string, unknown>> {
    const { default: sharp } = await import("sharp");
    const path = join(dir, "thumbnail.png");
    const { rgba, width, height } = this;
    await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 } })
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
}

/** Writes `<dir>/thumbnail.png` from a whole image's red, green, blue bytes and returns its STAC asset. */
export function writeThumbnail(dir: string, width: number, height: number, rgb: [Uint8Array, Uint8Array, Uint8Array]): Promise<Record<string, unknown>> {
  const t = new ThumbnailSampler(width, height);
  t.addRows(0, height, rgb);
  return t.write(dir);
}
