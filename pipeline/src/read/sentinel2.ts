/**
 * Sentinel-2 L2A scenes from a STAC item (Earth Search style; a path or URL) or a folder holding
 * the band COGs and the item. Remote asset hrefs are replaced by a local file of the same name
 * beside the item when one exists, so recorded items work offline.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { MissingBand, UnsupportedFormat } from "../errors.ts";
import { resolution } from "../grid.ts";
import type { BandLetter } from "../raster.ts";
import { S2_ASSET_KEYS, S2_BANDS, s2Radiometry } from "../sensors/sentinel2.ts";
import type { BandSource } from "./band-source.ts";
import { type GeoTiff, openGeoTiff } from "./geotiff.ts";
import type { BandInfo, OpenSceneOptions, SceneReader } from "./scene.ts";
import { sceneReader } from "./scene-reader.ts";
import { itemSensor, loadItem, resolveAsset, type StacAsset, type StacItem } from "./stac-item.ts";

/** A folder with the band COGs and one Sentinel-2 STAC item. */
export async function openSentinel2Folder(dir: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const json = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  for (const name of json) {
    const item = await loadItem(join(dir, name)).catch(() => undefined);
    if (item && itemSensor(item) === "sentinel-2") return fromItem(join(dir, name), item, opts);
  }
  throw new UnsupportedFormat(`${dir}: a Sentinel-2 folder needs its STAC item (.json) beside the band files; found ${json.length ? json.join(", ") : "none"}`);
}

export async function openSentinel2Item(location: string, opts: OpenSceneOptions, item?: StacItem): Promise<SceneReader> {
  return fromItem(location, item ?? (await loadItem(location)), opts);
}

async function fromItem(location: string, item: StacItem, opts: OpenSceneOptions): Promise<SceneReader> {
  if (itemSensor(item) !== "sentinel-2")
    throw new UnsupportedFormat(`${location}: unknown sensor (item ${item.id} is not Sentinel-2: platform ${String(item.properties.platform)})`);
  const nirName = opts.nir ?? "B08";
  const wanted: Record<string, string> = { ...S2_BANDS, N: nirName };
  const files: GeoTiff[] = [];
  try {
    const { bands, infos } = await openBands({ location, item, wanted, files });
    const scl = await assetHref(location, item, "SCL").catch(() => undefined);
    const sclTiff = scl ? await openGeoTiff(scl.href) : undefined;
    if (sclTiff) files.push(sclTiff);
    // The target grid: the finest band's grid unless one is asked for.
    const finest = Object.values(infos).sort((a, b) => resolution(a!.grid)[0] - resolution(b!.grid)[0])[0]!;
    const grid = opts.grid ?? finest.grid;
    const simulated = item.properties["reewatch:simulated"] === true;
    return sceneReader({
      info: {
        id: item.id,
        sensor: "sentinel-2",
        datetime: String(item.properties.datetime),
        grid,
        bands: infos,
        ...(sclTiff?.grid ? { qa: { kind: "s2-scl", name: "SCL", href: scl!.href, grid: sclTiff.grid } } : {}),
        nirBand: nirName,
        ...(typeof item.properties["eo:cloud_cover"] === "number" ? { cloudCover: item.properties["eo:cloud_cover"] as number } : {}),
        simulated,
        inputs: [location, ...Object.values(infos).map((b) => b!.href), ...(scl ? [scl.href] : [])],
        metadata: {
          processingBaseline: item.properties["s2:processing_baseline"] ?? null,
          productUri: item.properties["s2:product_uri"] ?? null,
          platform: item.properties.platform,
        },
      },
      bands,
      ...(sclTiff?.grid ? { qa: { tiff: sclTiff, band: 0, grid: sclTiff.grid } } : {}),
      files,
    });
  } catch (err) {
    await Promise.all(files.map((f) => f.close()));
    throw err;
  }
}

/** The wanted bands (letter -> band name), opened (each added to `files`), with their radiometry from the item. */
async function openBands(o: { location: string; item: StacItem; wanted: Record<string, string>; files: GeoTiff[] }) {
  const { location, item } = o;
  const bands: Partial<Record<BandLetter, BandSource>> = {};
  const infos: Partial<Record<BandLetter, BandInfo>> = {};
  for (const [letter, name] of Object.entries(o.wanted) as [BandLetter, string][]) {
    const { href, asset } = await assetHref(location, item, name);
    const tiff = await openGeoTiff(href);
    o.files.push(tiff);
    if (!tiff.grid) throw new UnsupportedFormat(`${href}: band ${name} carries no georeferencing`);
    const rs = s2Radiometry(item.id, item.properties, asset["raster:bands"]?.[0]);
    bands[letter] = { tiff, band: 0, grid: tiff.grid };
    infos[letter] = {
      letter,
      name,
      href,
      scale: rs.scale,
      offset: rs.offset,
      nodata: 0,
      grid: tiff.grid,
      scaleSource: rs.source,
    };
  }
  return { bands, infos };
}

/** The readable href of a band's asset; MissingBand naming the band and the file when there is none. */
async function assetHref(location: string, item: StacItem, bandName: string): Promise<{ href: string; asset: StacAsset }> {
  const keys = S2_ASSET_KEYS[bandName] ?? [bandName];
  const key = keys.find((k) => item.assets?.[k]);
  if (!key) throw new MissingBand(`${location}: no asset for band ${bandName} (looked for ${keys.join(", ")})`);
  const asset = item.assets[key]!;
  const r = await resolveAsset(location, asset.href);
  if (r.missing) throw new MissingBand(`${location}: band ${bandName} (asset ${key}): expected file ${r.href} does not exist`);
  return { href: r.href, asset };
}
