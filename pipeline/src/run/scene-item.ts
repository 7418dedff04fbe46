/** Helpers for per-scene STAC items: asset records with checksums, and the "already done" check. */
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { trueColorInto } from "../products/truecolor.ts";
import type { Grid } from "../raster.ts";
import { sha256File } from "../write/checksum.ts";
import { writeCog } from "../write/cog.ts";
import type { BandStatistics, CogAsset } from "../write/stac.ts";
import { writeThumbnail } from "../write/thumbnail.ts";

export interface ProductMeta {
  name: string;
  title?: string;
  description?: string;
  range: [number, number];
  colormap?: string;
  unit?: string;
  dataType?: CogAsset["dataType"];
  /** STAC asset roles; ["data"] unless given ("data-mask" for a validity mask, as STAC best practice names it). */
  roles?: string[];
}

/** The asset of `<dir>/<name>.tif`, with its SHA-256 and size. */
export async function assetFor(dir: string, meta: ProductMeta, statistics: BandStatistics | undefined): Promise<CogAsset> {
  const path = join(dir, `${meta.name}.tif`);
  const [hex, st] = await Promise.all([sha256File(path), stat(path)]);
  return {
    href: `./${meta.name}.tif`,
    title: meta.title ?? meta.name.toUpperCase(),
    product: meta.name,
    range: meta.range,
    colormap: meta.colormap ?? "viridis",
    dataType: meta.dataType ?? "float32",
    checksumHex: hex,
    size: st.size,
    ...(meta.unit ? { unit: meta.unit } : {}),
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.roles ? { roles: meta.roles } : {}),
    ...(statistics ? { statistics } : {}),
  };
}

/**
 * A finished item with the same job key whose assets are all present at their recorded size:
 * returns its masked fraction, or null when the work must be (re)done.
 */
export async function isFinished(itemPath: string, jobKey: string): Promise<{ maskedFraction: number } | null> {
  let item: {
    properties: Record<string, unknown>;
    assets: Record<string, { href: string; "file:size": number }>;
  };
  try {
    item = JSON.parse(await readFile(itemPath, "utf8"));
  } catch {
    return null;
  }
  if (item.properties?.["reewatch:job_key"] !== jobKey) return null;
  for (const a of Object.values(item.assets ?? {})) {
    const size = await stat(join(dirname(itemPath), a.href)).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== a["file:size"]) return null;
  }
  return { maskedFraction: Number(item.properties["reewatch:masked_fraction"]) };
}

/** truecolor.tif (fixed-stretch RGB from reflectance) in `dir`, and its asset. */
export async function writeTrueColor(
  dir: string,
  grid: Grid,
  bands: Record<string, Float32Array>,
  metadata: Record<string, string> = {},
): Promise<{ asset: CogAsset; thumbnail: Record<string, unknown> }> {
  const rgb = trueColorBytes(bands);
  await writeCog(join(dir, "truecolor.tif"), grid, rgb, { metadata, nodata: 0, bandDescriptions: ["red", "green", "blue"] });
  return { asset: await trueColorAsset(dir), thumbnail: await writeThumbnail(dir, grid.width, grid.height, rgb) };
}

/** Fixed-stretch 8-bit red, green, blue of reflectance bands (0 = no data). */
export function trueColorBytes(bands: Record<string, Float32Array>): [Uint8Array, Uint8Array, Uint8Array] {
  const n = bands.R!.length;
  const rgb: [Uint8Array, Uint8Array, Uint8Array] = [new Uint8Array(n), new Uint8Array(n), new Uint8Array(n)];
  trueColorInto(bands.R!, bands.G!, bands.B!, rgb);
  return rgb;
}

/** The asset of `<dir>/truecolor.tif`. */
export function trueColorAsset(dir: string): Promise<CogAsset> {
  return assetFor(dir, { name: "truecolor", title: "True colour (fixed stretch 0-0.3)", range: [0, 255], colormap: "rgb", dataType: "uint8" }, undefined);
}
