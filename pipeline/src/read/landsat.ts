/**
 * Landsat 4-9 Collection 2 Level-2 scenes from: a folder (MTL + SR/ST/QA band files), a USGS
 * tarball, a (USGS) STAC json beside its files, or a multiband stack whose band descriptions name
 * the bands ("SR_B5 (nir08)"). Grids come from the GeoTIFF tags, or from the MTL corners when the
 * files carry none (MTL corners are pixel centres).
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MissingBand, UnknownScale, UnsupportedFormat } from "../errors.ts";
import type { BandLetter, Grid, Sensor } from "../raster.ts";
import { landsatBandNames, parseLandsatId, SR_OFFSET, SR_SCALE, ST_OFFSET, ST_SCALE, sensorFromSpacecraft } from "../sensors/landsat.ts";
import { MemorySource } from "../source/memory.ts";
import type { BandSource } from "./band-source.ts";
import { type GeoTiff, openGeoTiff } from "./geotiff.ts";
import { type Mtl, mtlValue, parseMtl } from "./mtl.ts";
import type { BandInfo, OpenSceneOptions, SceneReader } from "./scene.ts";
import { sceneReader } from "./scene-reader.ts";
import { readTar } from "./tar.ts";

/** File name suffix -> how to open it (path on disk, or bytes from a tarball). */
type Members = Map<string, { open: () => Promise<GeoTiff>; href: string }>;

export async function openLandsatFolder(dir: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const names = (await readdir(dir)).sort();
  const members: Members = new Map();
  let mtlText: string | undefined;
  for (const n of names) {
    const p = join(dir, n);
    if (/_MTL\.txt$/i.test(n)) mtlText = await readFile(p, "utf8");
    else if (/\.tif{1,2}$/i.test(n)) members.set(suffixOf(n), { open: () => openGeoTiff(p), href: p });
  }
  return fromMembers(dir, members, mtlText, opts);
}

export async function openLandsatTarball(path: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const files = await readTar(path);
  const members: Members = new Map();
  let mtlText: string | undefined;
  for (const [name, bytes] of files) {
    const href = `${path}#${name}`;
    if (/_MTL\.txt$/i.test(name)) mtlText = Buffer.from(bytes).toString("utf8");
    else if (/\.tif{1,2}$/i.test(name)) members.set(suffixOf(basename(name)), { open: () => openGeoTiff(new MemorySource(bytes, href)), href });
  }
  return fromMembers(path, members, mtlText, opts);
}

/** "LC08_..._T1_SR_B4.TIF" -> "SR_B4". */
function suffixOf(name: string): string {
  const m = /_((?:SR|ST)_B\d+|QA_PIXEL|QA_RADSAT|ST_QA|SR_QA_AEROSOL)\.tif{1,2}$/i.exec(name);
  return m ? m[1]!.toUpperCase() : name;
}

async function fromMembers(where: string, members: Members, mtlText: string | undefined, opts: OpenSceneOptions): Promise<SceneReader> {
  const mtl = mtlText ? parseMtl(mtlText) : undefined;
  const productId = (mtl && mtlValue(mtl, "PRODUCT_CONTENTS", "LANDSAT_PRODUCT_ID")) ?? parseLandsatId(basename(where))?.id;
  const parsed = productId ? parseLandsatId(productId) : null;
  if (!parsed) throw new UnsupportedFormat(`${where}: unknown sensor (no MTL with LANDSAT_PRODUCT_ID and no Landsat product id in the name)`);
  const sensor = mtl ? sensorFromSpacecraft(mtlValue(mtl, "IMAGE_ATTRIBUTES", "SPACECRAFT_ID") ?? "", where) : parsed.sensor;
  if (parsed.level !== "L2SP" && parsed.level !== "L2SR")
    throw new UnknownScale(`${where}: ${parsed.id} is ${parsed.level}, not Level-2 surface reflectance: no SR scale/offset`);
  const names = landsatBandNames(sensor);
  const files: GeoTiff[] = [];
  const open = async (suffix: string) => {
    const m = members.get(suffix);
    if (!m) return undefined;
    const t = await m.open();
    files.push(t);
    return { tiff: t, href: m.href };
  };
  try {
    const bands: Partial<Record<BandLetter, BandSource>> = {};
    const infos: Partial<Record<BandLetter, BandInfo>> = {};
    for (const letter of Object.keys(names) as BandLetter[]) {
      const name = names[letter];
      const f = await open(name);
      if (!f) {
        if (letter !== "T") throw new MissingBand(`${where}: band ${name} (${letter}) is missing: expected a file ending in _${name}.TIF`);
        continue;
      }
      const grid = f.tiff.grid ?? (mtl ? mtlGrid(mtl, f.tiff, where) : undefined);
      if (!grid) throw new UnsupportedFormat(`${where}: ${name} has no georeferencing and there is no MTL to supply it`);
      const rs = radiometry(mtl, name);
      bands[letter] = { tiff: f.tiff, band: 0, grid };
      infos[letter] = {
        letter,
        name,
        href: f.href,
        scale: rs.scale,
        offset: rs.offset,
        nodata: 0,
        grid,
        scaleSource: rs.source,
      };
    }
    const qaSrc = await qaSource(open, "QA_PIXEL", infos.R!.grid);
    const radSrc = await qaSource(open, "QA_RADSAT", infos.R!.grid);
    const grid = opts.grid ?? infos.R!.grid;
    const date = (mtl && mtlValue(mtl, "IMAGE_ATTRIBUTES", "DATE_ACQUIRED")) ?? parsed.date;
    const time = (mtl && mtlValue(mtl, "IMAGE_ATTRIBUTES", "SCENE_CENTER_TIME")) ?? "00:00:00Z";
    const cloud = mtl ? Number(mtlValue(mtl, "IMAGE_ATTRIBUTES", "CLOUD_COVER")) : Number.NaN;
    return sceneReader({
      info: {
        id: parsed.id,
        sensor,
        datetime: `${date}T${time.replace(/(\.\d{3})\d*Z$/, "$1Z")}`,
        grid,
        bands: infos,
        ...(qaSrc
          ? {
              qa: {
                kind: "landsat-qa-pixel",
                name: "QA_PIXEL",
                href: members.get("QA_PIXEL")!.href,
                grid: qaSrc.grid,
              },
            }
          : {}),
        ...(radSrc
          ? {
              radsat: {
                kind: "landsat-qa-pixel",
                name: "QA_RADSAT",
                href: members.get("QA_RADSAT")!.href,
                grid: radSrc.grid,
              },
            }
          : {}),
        nirBand: names.N,
        ...(Number.isFinite(cloud) ? { cloudCover: cloud } : {}),
        simulated: false,
        inputs: [...new Set([...Object.values(infos).map((b) => b!.href.split("#")[0]!), ...(qaSrc ? [members.get("QA_PIXEL")!.href.split("#")[0]!] : [])])],
        metadata: { productId: parsed.id, mtl: mtl ? "MTL.txt" : "none" },
      },
      bands,
      ...(qaSrc ? { qa: qaSrc } : {}),
      ...(radSrc ? { radsat: radSrc } : {}),
      files,
    });
  } catch (err) {
    await Promise.all(files.map((f) => f.close()));
    throw err;
  }
}

async function qaSource(open: (s: string) => Promise<{ tiff: GeoTiff } | undefined>, name: string, fallback: Grid): Promise<BandSource | undefined> {
  const f = await open(name);
  return f
    ? {
        tiff: f.tiff,
        band: 0,
        grid: f.tiff.grid ?? { ...fallback, width: f.tiff.image.width, height: f.tiff.image.height },
      }
    : undefined;
}

/** SR/ST scale and offset from the MTL's Level-2 groups, else the published C2 L2 constants. */
function radiometry(mtl: Mtl | undefined, name: string): { scale: number; offset: number; source: string } {
  const isSt = name.startsWith("ST_");
  const n = name.replace(/^(SR|ST)_B/, "");
  if (mtl) {
    const group = isSt ? "LEVEL2_SURFACE_TEMPERATURE_PARAMETERS" : "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS";
    const mult = mtlValue(mtl, group, isSt ? `TEMPERATURE_MULT_BAND_ST_B${n}` : `REFLECTANCE_MULT_BAND_${n}`);
    const add = mtlValue(mtl, group, isSt ? `TEMPERATURE_ADD_BAND_ST_B${n}` : `REFLECTANCE_ADD_BAND_${n}`);
    if (mult !== undefined && add !== undefined) return { scale: Number(mult), offset: Number(add), source: `MTL ${group}` };
  }
  return isSt
    ? { scale: ST_SCALE, offset: ST_OFFSET, source: "Landsat C2 L2 product constants (ST)" }
    : { scale: SR_SCALE, offset: SR_OFFSET, source: "Landsat C2 L2 product constants (SR)" };
}

/** Grid from MTL corner coordinates (pixel centres) for files without geotags. */
function mtlGrid(mtl: Mtl, tiff: GeoTiff, where: string): Grid {
  const g = "PROJECTION_ATTRIBUTES";
  const zone = Number(mtlValue(mtl, g, "UTM_ZONE"));
  const ulx = Number(mtlValue(mtl, g, "CORNER_UL_PROJECTION_X_PRODUCT"));
  const uly = Number(mtlValue(mtl, g, "CORNER_UL_PROJECTION_Y_PRODUCT"));
  const cell = Number(mtlValue(mtl, g, "GRID_CELL_SIZE_REFLECTIVE"));
  if (![zone, ulx, uly, cell].every(Number.isFinite))
    throw new UnsupportedFormat(`${where}: MTL lacks UTM_ZONE/CORNER_UL_PROJECTION_*/GRID_CELL_SIZE_REFLECTIVE`);
  // USGS grids use northern UTM zones with negative northings south of the equator.
  return {
    crs: `EPSG:${32600 + zone}`,
    transform: [cell, 0, ulx - cell / 2, 0, -cell, uly + cell / 2],
    width: tiff.image.width,
    height: tiff.image.height,
  };
}

/** A multiband stack whose band descriptions start with the band names (SR_B2, ..., ST_B10). */
export async function openLandsatStack(path: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const parsed = parseLandsatId(basename(path));
  if (!parsed) throw new UnsupportedFormat(`${path}: unknown sensor (the file name holds no Landsat product id such as LC08_L2SP_...)`);
  const tiff = await openGeoTiff(path);
  try {
    if (!tiff.grid) throw new UnsupportedFormat(`${path}: the stack carries no georeferencing`);
    const names = landsatBandNames(parsed.sensor as Sensor);
    const bands: Partial<Record<BandLetter, BandSource>> = {};
    const infos: Partial<Record<BandLetter, BandInfo>> = {};
    for (const letter of Object.keys(names) as BandLetter[]) {
      const i = tiff.descriptions.findIndex((d) => d.split(/\s/)[0] === names[letter]);
      if (i < 0) {
        if (letter === "T") continue;
        throw new MissingBand(`${path}: no band described as ${names[letter]} (${letter}); descriptions: ${tiff.descriptions.join(", ") || "none"}`);
      }
      const fromFile = tiff.scales[i] !== 1 || tiff.offsets[i] !== 0;
      const rs = fromFile
        ? { scale: tiff.scales[i]!, offset: tiff.offsets[i]!, source: "GDAL scale/offset of the stack" }
        : radiometry(undefined, names[letter]);
      bands[letter] = { tiff, band: i, grid: tiff.grid };
      infos[letter] = {
        letter,
        name: names[letter],
        href: `${path}#b=${i + 1}`,
        scale: rs.scale,
        offset: rs.offset,
        nodata: tiff.nodata ?? 0,
        grid: tiff.grid,
        scaleSource: rs.source,
      };
    }
    return sceneReader({
      info: {
        id: parsed.id,
        sensor: parsed.sensor,
        datetime: `${parsed.date}T00:00:00Z`,
        grid: opts.grid ?? tiff.grid,
        bands: infos,
        nirBand: names.N,
        simulated: false,
        inputs: [path],
        metadata: { productId: parsed.id, source: "multiband stack", ...tiff.metadata },
      },
      bands,
      files: [tiff],
    });
  } catch (err) {
    await tiff.close();
    throw err;
  }
}

/** A Landsat STAC json: the band files are looked up beside it. */
export async function openLandsatStac(path: string, opts: OpenSceneOptions): Promise<SceneReader> {
  return openLandsatFolder(dirname(path), opts);
}
