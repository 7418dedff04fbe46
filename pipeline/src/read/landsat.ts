/**
 * Landsat 4-9 Collection 2 Level-2 scenes from a folder (MTL + SR/ST/QA band files), a USGS
 * tarball (members read into memory) or a STAC item beside (or pointing at) its files. Grids come
 * from the GeoTIFF tags, or from the MTL corners when the files carry none (USGS tarball crops).
 * Multiband stacks are in `landsat-stack.ts`.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { MissingBand, UnsupportedFormat } from "../errors.ts";
import type { BandLetter, Grid } from "../raster.ts";
import { landsatBandNames, landsatRadiometry, parseLandsatId, sensorFromSpacecraft } from "../sensors/landsat.ts";
import { MemorySource } from "../source/memory.ts";
import { openSource, readAll } from "../source/source.ts";
import type { BandSource } from "./band-source.ts";
import { type GeoTiff, openGeoTiff } from "./geotiff.ts";
import { type Mtl, mtlGrid, mtlValue, parseMtl } from "./mtl.ts";
import type { BandInfo, OpenSceneOptions, QaInfo, SceneInfo, SceneReader } from "./scene.ts";
import { sceneReader } from "./scene-reader.ts";
import { loadItem, resolveAsset, type StacItem } from "./stac-item.ts";
import { readTar } from "./tar.ts";

/** Band suffix ("SR_B4", "QA_PIXEL") -> how to open the file and what to call it. */
type Members = Map<string, { open: () => Promise<GeoTiff>; href: string }>;

interface Found {
  /** Where the scene came from, for messages. */
  where: string;
  members: Members;
  mtl?: Mtl;
  /** Where the MTL was read from (provenance). */
  mtlHref?: string;
  /** Product id when no MTL names it (file names, STAC id). */
  idHint?: string;
  /** Extra provider metadata (STAC properties). */
  cloudCover?: number;
  datetime?: string;
}

/** "LC08_..._T1_SR_B4.TIF" -> "SR_B4"; undefined for files that are not bands we read. */
export function suffixOf(name: string): string | undefined {
  const m = /_((?:SR|ST)_B\d+|QA_PIXEL|QA_RADSAT)\.tiff?$/i.exec(name);
  return m ? m[1]!.toUpperCase() : undefined;
}

export async function openLandsatFolder(dir: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const names = (await readdir(dir)).sort();
  const members: Members = new Map();
  let mtl: { mtl: Mtl; mtlHref: string } | undefined;
  for (const n of names) {
    const p = join(dir, n);
    const suffix = suffixOf(n);
    if (/_MTL\.txt$/i.test(n)) mtl = { mtl: parseMtl(await readFile(p, "utf8")), mtlHref: p };
    else if (suffix) members.set(suffix, { open: () => openGeoTiff(p), href: p });
  }
  const idHint = names.map((n) => parseLandsatId(n)?.id).find(Boolean);
  return landsatScene({ where: dir, members, ...mtl, ...(idHint ? { idHint } : {}) }, opts);
}

export async function openLandsatTarball(path: string, opts: OpenSceneOptions): Promise<SceneReader> {
  const files = await readTar(path);
  const members: Members = new Map();
  let mtl: { mtl: Mtl; mtlHref: string } | undefined;
  for (const [name, bytes] of files) {
    const href = `${path}#${name}`;
    const suffix = suffixOf(basename(name));
    if (/_MTL\.txt$/i.test(name)) mtl = { mtl: parseMtl(Buffer.from(bytes).toString("utf8")), mtlHref: href };
    else if (suffix) members.set(suffix, { open: () => openGeoTiff(new MemorySource(bytes, href)), href });
  }
  return landsatScene({ where: path, members, ...mtl, idHint: basename(path) }, opts);
}

/** A Landsat STAC item: band assets by file name (beside the item when a copy is there), MTL.txt when listed. */
export async function openLandsatStac(location: string, opts: OpenSceneOptions, item?: StacItem): Promise<SceneReader> {
  const it = item ?? (await loadItem(location));
  const members: Members = new Map();
  let mtl: { mtl: Mtl; mtlHref: string } | undefined;
  for (const asset of Object.values(it.assets)) {
    const file = basename(asset.href.split("?")[0]!);
    const suffix = suffixOf(file);
    if (!suffix && !/_MTL\.txt$/i.test(file)) continue;
    const r = await resolveAsset(location, asset.href);
    if (r.missing) continue;
    if (suffix) members.set(suffix, { open: () => openGeoTiff(r.href), href: r.href });
    else mtl = { mtl: parseMtl(Buffer.from(await readWhole(r.href)).toString("utf8")), mtlHref: r.href };
  }
  const cc = it.properties["eo:cloud_cover"];
  const dt = it.properties.datetime;
  return landsatScene(
    {
      where: location,
      members,
      idHint: it.id,
      ...mtl,
      ...(typeof cc === "number" ? { cloudCover: cc } : {}),
      ...(typeof dt === "string" ? { datetime: dt } : {}),
    },
    opts,
  );
}

async function readWhole(href: string): Promise<Uint8Array> {
  const src = await openSource(href);
  try {
    return await readAll(src);
  } finally {
    await src.close?.();
  }
}

/** Product id, sensor and level from the MTL, else from the file/item name. */
function identify(f: Found) {
  const mtlId = f.mtl && mtlValue(f.mtl, "PRODUCT_CONTENTS", "LANDSAT_PRODUCT_ID");
  const parsed = parseLandsatId(mtlId ?? f.idHint ?? basename(f.where));
  if (!parsed)
    throw new UnsupportedFormat(`${f.where}: unknown sensor (no MTL with LANDSAT_PRODUCT_ID and no Landsat product id such as LC08_L2SP_... in the names)`);
  const spacecraft = f.mtl && mtlValue(f.mtl, "IMAGE_ATTRIBUTES", "SPACECRAFT_ID");
  const sensor = spacecraft ? sensorFromSpacecraft(spacecraft, f.where) : parsed.sensor;
  const level = (f.mtl && mtlValue(f.mtl, "PRODUCT_CONTENTS", "PROCESSING_LEVEL")) ?? parsed.level;
  return { ...parsed, sensor, level };
}

function acquisitionTime(f: Found, date: string): string {
  const d = (f.mtl && mtlValue(f.mtl, "IMAGE_ATTRIBUTES", "DATE_ACQUIRED")) ?? date;
  const t = f.mtl && mtlValue(f.mtl, "IMAGE_ATTRIBUTES", "SCENE_CENTER_TIME");
  if (t) return `${d}T${t.replace(/(\.\d{3})\d*Z$/, "$1Z")}`;
  return f.datetime && /T/.test(f.datetime) ? f.datetime : `${d}T00:00:00Z`;
}

async function landsatScene(f: Found, opts: OpenSceneOptions): Promise<SceneReader> {
  const id = identify(f);
  const names = landsatBandNames(id.sensor);
  const files: GeoTiff[] = [];
  try {
    const { bands, infos } = await openBands({ f, id, names, files });
    const qa = f.members.has("QA_PIXEL") ? await openMember(f, "QA_PIXEL", files) : undefined;
    const radsat = f.members.has("QA_RADSAT") ? await openMember(f, "QA_RADSAT", files) : undefined;
    const grid: Grid = opts.grid ?? infos.R!.grid;
    return sceneReader({
      info: landsatInfo({ f, id, names, grid, infos, qa, radsat }),
      bands,
      ...(qa ? { qa } : {}),
      ...(radsat ? { radsat } : {}),
      files,
    });
  } catch (err) {
    await Promise.all(files.map((t) => t.close()));
    throw err;
  }
}

type LandsatId = ReturnType<typeof identify>;
type BandNames = ReturnType<typeof landsatBandNames>;
/** An opened member file: its first band on its grid, and where it came from. */
type OpenedMember = BandSource & { href: string };

/** Opens a member file (added to `files`, to be closed with the scene) on its own grid, or the MTL's when it has none. */
async function openMember(f: Found, suffix: string, files: GeoTiff[]): Promise<OpenedMember> {
  const m = f.members.get(suffix)!;
  const tiff = await m.open();
  files.push(tiff);
  const grid = tiff.grid ?? (f.mtl ? mtlGrid(f.mtl, tiff.image.width, tiff.image.height, suffix.startsWith("ST_"), m.href) : undefined);
  if (!grid) throw new UnsupportedFormat(`${m.href}: no georeferencing in the file and no MTL to supply it`);
  return { tiff, band: 0, grid, href: m.href };
}

/** The sensor's bands, opened, with their radiometry; thermal (T) may be missing, any other band may not. */
async function openBands(o: { f: Found; id: LandsatId; names: BandNames; files: GeoTiff[] }) {
  const { f, id, names } = o;
  const bands: Partial<Record<BandLetter, BandSource>> = {};
  const infos: Partial<Record<BandLetter, BandInfo>> = {};
  for (const letter of Object.keys(names) as BandLetter[]) {
    const name = names[letter];
    if (!f.members.has(name)) {
      if (letter === "T") continue;
      throw new MissingBand(`${f.where}: band ${name} (${letter}) is missing: expected a file named ${id.id}_${name}.TIF`);
    }
    const src = await openMember(f, name, o.files);
    const mtl = f.mtl;
    const rs = landsatRadiometry(f.where, name, { ...(mtl ? { mtl: (g, k) => mtlValue(mtl, g, k) } : {}), level: id.level });
    bands[letter] = src;
    infos[letter] = {
      letter,
      name,
      href: src.href,
      scale: rs.scale,
      offset: rs.offset,
      nodata: src.tiff.nodata ?? 0,
      grid: src.grid,
      scaleSource: rs.source,
    };
  }
  return { bands, infos };
}

/** What the scene description is made of: the found files, the identity and the opened bands. */
interface InfoParts {
  f: Found;
  id: LandsatId;
  names: BandNames;
  grid: Grid;
  infos: Partial<Record<BandLetter, BandInfo>>;
  qa: OpenedMember | undefined;
  radsat: OpenedMember | undefined;
}

/** The scene's description: identity, bands and QA, cloud cover, and every file read. */
function landsatInfo({ f, id, names, grid, infos, qa, radsat }: InfoParts): SceneInfo {
  const qaInfo = (kind: QaInfo["kind"], name: string, s: OpenedMember): QaInfo => ({ kind, name, href: s.href, grid: s.grid });
  const cloud = f.mtl ? Number(mtlValue(f.mtl, "IMAGE_ATTRIBUTES", "CLOUD_COVER")) : f.cloudCover;
  return {
    id: id.id,
    sensor: id.sensor,
    datetime: acquisitionTime(f, id.date),
    grid,
    bands: infos,
    ...(qa ? { qa: qaInfo("landsat-qa-pixel", "QA_PIXEL", qa) } : {}),
    ...(radsat ? { radsat: qaInfo("landsat-qa-radsat", "QA_RADSAT", radsat) } : {}),
    nirBand: names.N,
    ...(cloud !== undefined && Number.isFinite(cloud) ? { cloudCover: cloud } : {}),
    simulated: false,
    inputs: [
      ...new Set(
        [...(f.mtlHref ? [f.mtlHref] : []), ...Object.values(infos).map((b) => b!.href), ...(qa ? [qa.href] : []), ...(radsat ? [radsat.href] : [])].map(
          (h) => h.split("#")[0]!,
        ),
      ),
    ],
    metadata: { productId: id.id, processingLevel: id.level, mtl: f.mtlHref ?? "none" },
  };
}
