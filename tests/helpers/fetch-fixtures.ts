/**
 * Items and files for the loopback STAC API of the fetch tests, made from the real samples:
 * - the real Earth Search item of tile 29RKH (processing baseline 02.14) and its band COGs;
 * - the same ground re-encoded as a baseline 04.00 product (DN + 1000, raster:bands offset -0.1);
 * - the same scene with its SCL set to cloud (9) over a block that holds the test AOI;
 * - a cloudy (80 %) item that --max-cloud must drop;
 * - the real Landsat 8 C2 L2 scene as a Planetary Computer item whose blobs need a SAS token.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import proj4 from "proj4";
import { openGeoTiff, readWhole } from "../../pipeline/src/read/geotiff.ts";
import { CogWriter } from "../../pipeline/src/write/cog.ts";
import { ROOT } from "./cli.ts";

export const S2_DIR = join(ROOT, "samples/sentinel2-l2a-29RKH-100m");
export const L8_DIR = join(ROOT, "samples/landsat8-c2l2-cloudy-5pct");
const S2_ITEM = JSON.parse(readFileSync(join(S2_DIR, "S2A_29RKH_20200219_0_L2A.json"), "utf8"));
const S2_KEYS = ["blue", "green", "red", "nir", "nir08", "swir16", "swir22", "scl"];
const L8_ID = "LC08_L2SP_001062_20201031_20201106_02_T2";
const L8_KEYS: Record<string, string> = {
  blue: "SR_B2",
  green: "SR_B3",
  red: "SR_B4",
  nir08: "SR_B5",
  swir16: "SR_B6",
  swir22: "SR_B7",
  qa_pixel: "QA_PIXEL",
  qa_radsat: "QA_RADSAT",
  lwir11: "ST_B10",
};

/**
 * A 5 x 4 km AOI in tile 29RKH (UTM 29N), placed inside one 512-px tile of every band (the sample's
 * tiles are 51 km wide at 100 m, so an AOI across a tile edge would read four of them).
 */
export const S2_AOI_UTM = [241_000, 2_735_000, 246_000, 2_739_000];
/** A 30 x 30 km AOI inside the Landsat clip (UTM 20N with USGS's negative northings). */
export const L8_AOI_UTM = [240_000, -340_000, 270_000, -310_000];

export function aoiGeoJson(epsg: string, [x0, y0, x1, y1]: number[]): Record<string, unknown> {
  const toLonLat = (x: number, y: number) => proj4(epsg, "EPSG:4326", [x, y]).map((v) => Math.round(v * 1e7) / 1e7);
  const ring = [toLonLat(x0!, y0!), toLonLat(x1!, y0!), toLonLat(x1!, y1!), toLonLat(x0!, y1!)];
  return { type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...ring, ring[0]]] } };
}

export interface Fixtures {
  items: Record<string, unknown>[];
  files: Record<string, string>;
}

export async function buildFixtures(dir: string): Promise<Fixtures> {
  const files: Record<string, string> = {};
  const items: Record<string, unknown>[] = [];
  const s2Files = Object.fromEntries(S2_KEYS.map((k) => [k, join(S2_DIR, basename(new URL(S2_ITEM.assets[k].href).pathname))]));
  items.push(s2Item("S2A_29RKH_20200219_0_L2A", "2020-02-19T11:34:25Z", 4.05, "orig", s2Files, files));
  items.push(s2Item("S2B_29RKH_20200915_0_L2A", "2020-09-15T11:34:25Z", 80, "orig", s2Files, files));
  const cloudy = { ...s2Files, scl: await cloudySclFile(dir) };
  items.push(s2Item("S2A_29RKH_20200520_0_L2A", "2020-05-20T11:34:25Z", 12, "cloudy", cloudy, files));
  const pb4 = await baseline4Files(dir, s2Files);
  const item4 = s2Item("S2B_29RKH_20200701_0_L2A", "2020-07-01T11:34:25Z", 4.05, "pb0400", pb4, files);
  markBaseline4(item4);
  items.push(item4);
  items.push(landsatItem(files));
  return { items, files };
}

function s2Item(id: string, datetime: string, cloud: number, folder: string, paths: Record<string, string>, files: Record<string, string>) {
  const assets: Record<string, unknown> = {};
  for (const k of S2_KEYS) {
    const url = `/files/${folder}/${basename(paths[k]!)}`;
    files[url] = paths[k]!;
    assets[k] = { ...S2_ITEM.assets[k], href: url };
  }
  return {
    ...S2_ITEM,
    id,
    collection: "sentinel-2-l2a",
    properties: { ...S2_ITEM.properties, datetime, "eo:cloud_cover": cloud },
    assets,
  };
}

/** Baseline 04.00: the DNs carry BOA_ADD_OFFSET -1000 (valid DN + 1000), and raster:bands say offset -0.1. */
function markBaseline4(item: Record<string, any>): void {
  item.properties = { ...item.properties, "s2:processing_baseline": "04.00", "earthsearch:boa_offset_applied": false };
  for (const k of S2_KEYS.filter((x) => x !== "scl")) {
    const a = item.assets[k];
    a["raster:bands"] = [{ ...a["raster:bands"][0], offset: -0.1 }];
  }
}

async function baseline4Files(dir: string, src: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = { scl: src.scl! };
  mkdirSync(join(dir, "pb0400"), { recursive: true });
  for (const k of S2_KEYS.filter((x) => x !== "scl")) {
    const path = join(dir, "pb0400", basename(src[k]!));
    const [dn] = await readWhole(src[k]!);
    const shifted = Uint16Array.from(dn!, (v) => (v === 0 ? 0 : v + 1000));
    await writeLike(src[k]!, path, shifted);
    out[k] = path;
  }
  return out;
}

/** The 200 m SCL with class 9 (cloud, high probability) over columns/rows 200..349, which hold the test AOI. */
async function cloudySclFile(dir: string): Promise<string> {
  mkdirSync(join(dir, "cloudy"), { recursive: true });
  const path = join(dir, "cloudy", "SCL.tif");
  const [scl] = await readWhole(join(S2_DIR, "SCL.tif"));
  const data = Uint8Array.from(scl!);
  for (let r = 200; r < 350; r++) data.fill(9, r * 549 + 200, r * 549 + 350);
  await writeLike(join(S2_DIR, "SCL.tif"), path, data);
  return path;
}

async function writeLike(template: string, path: string, data: Uint8Array | Uint16Array): Promise<void> {
  const t = await openGeoTiff(template);
  const type = t.image.bitsPerSample === 8 ? "uint8" : "uint16";
  const w = await CogWriter.create(path, t.grid!, type, 1, { nodata: 0 });
  await w.writeRows(0, [data]);
  await w.finish();
  await t.close();
}

function landsatItem(files: Record<string, string>) {
  const assets: Record<string, unknown> = {};
  for (const [key, suffix] of Object.entries(L8_KEYS)) {
    const name = `${L8_ID}_${suffix}.TIF`;
    const url = `/blob/landsat-c2/level-2/${name}`;
    files[url] = join(L8_DIR, name);
    const sr = suffix.startsWith("SR_");
    assets[key] = {
      href: url,
      type: "image/tiff; application=geotiff; profile=cloud-optimized",
      roles: [sr || suffix.startsWith("ST_") ? "data" : "cloud"],
      ...(sr ? { "raster:bands": [{ nodata: 0, data_type: "uint16", scale: 0.0000275, offset: -0.2 }] } : {}),
    };
  }
  return {
    type: "Feature",
    stac_version: "1.0.0",
    id: "LC08_L2SP_001062_20201031_02_T2",
    collection: "landsat-c2-l2",
    bbox: [-66.21, -3.95, -64.15, -1.84],
    geometry: null,
    properties: { datetime: "2020-10-31T14:17:48Z", platform: "landsat-8", "eo:cloud_cover": 99.94, "proj:epsg": 32620 },
    assets,
    links: [],
  };
}
