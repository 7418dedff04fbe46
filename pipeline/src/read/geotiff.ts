/** A GeoTIFF: the TIFF plus its grid, no-data, band descriptions, scale/offset and GDAL metadata. */
import { CorruptFile, UnsupportedFormat } from "../errors.ts";
import type { Affine, Grid, Window } from "../raster.ts";
import { openSource, type Source } from "../source/source.ts";
import { BlockCache, openTiff, type TiffFile, type TiffImage } from "./tiff.ts";
import { readWindow, type Samples } from "./tiff-window.ts";

export interface GeoTiff {
  url: string;
  file: TiffFile;
  image: TiffImage;
  /** Reduced-resolution images, largest first. */
  overviews: TiffImage[];
  /** Undefined when the file carries no georeferencing (e.g. Landsat tarball members: use the MTL). */
  grid: Grid | undefined;
  bandCount: number;
  nodata: number | undefined;
  descriptions: string[];
  scales: number[];
  offsets: number[];
  metadata: Record<string, string>;
  /** The coarsest image (full resolution or overview) whose pixels are no larger than `resolution` (CRS units). */
  imageFor(resolution: number): TiffImage;
  read(win: Window, bands?: number[], image?: TiffImage, signal?: AbortSignal): Promise<Samples[]>;
  close(): Promise<void>;
}

export async function openGeoTiff(src: string | Source, signal?: AbortSignal): Promise<GeoTiff> {
  const source = typeof src === "string" ? await openSource(src) : src;
  try {
    const file = await openTiff(source, signal);
    const [image, ...rest] = file.images;
    const overviews = rest.filter((im) => (im.subfileType & 1) === 1 && im.samples === image!.samples).sort((a, b) => b.width - a.width);
    const md = parseGdalMetadata(image!.tags.get(42112));
    const grid = gridFromTags(image!, source.url);
    const nd = image!.tags.get(42113);
    const bandCount = image!.samples;
    const perBand = (role: string, dflt: number) => Array.from({ length: bandCount }, (_, i) => Number(md.bands[i]?.[role] ?? dflt));
    return {
      url: source.url,
      file,
      image: image!,
      overviews,
      grid,
      bandCount,
      nodata: typeof nd === "string" && nd.trim() !== "" ? Number(nd.trim()) : undefined,
      descriptions: Array.from({ length: bandCount }, (_, i) => md.bands[i]?.description ?? ""),
      scales: perBand("scale", 1),
      offsets: perBand("offset", 0),
      metadata: md.dataset,
      imageFor: (res) => pickImage(image!, overviews, grid ? Math.hypot(grid.transform[0], grid.transform[3]) : 1, res),
      read: (win, bands, im, sig) => readWindow(file, im ?? image!, win, bands ?? [0], sig),
      close: async () => source.close?.(),
    };
  } catch (err) {
    await source.close?.();
    throw err;
  }
}

/** Overview levels are chosen by their size ratio to the full image (as GDAL does). */
function pickImage(full: TiffImage, overviews: TiffImage[], fullRes: number, wanted: number): TiffImage {
  let best = full;
  for (const ov of overviews) if (fullRes * (full.width / ov.width) <= wanted * (1 + 1e-6)) best = ov;
  return best;
}

/**
 * Opens a GeoTIFF for reading in full-width strips shorter than its blocks: a cache of one row of
 * decoded full-resolution blocks (and one more) lets each block be decoded once, not once a strip.
 */
export async function openForStrips(path: string): Promise<GeoTiff> {
  const t = await openGeoTiff(path);
  const im = t.image;
  const blockBytes = (im.blockWidth * im.blockHeight * im.samples * im.bitsPerSample) / 8;
  t.file.blockCache = new BlockCache((Math.ceil(im.width / im.blockWidth) + 1) * blockBytes);
  return t;
}

/** Every pixel of the listed bands (default: all) of a GeoTIFF: small rasters (site grids, truth). */
export async function readWhole(path: string, bands?: number[]): Promise<Samples[]> {
  const t = await openGeoTiff(path);
  try {
    return await t.read({ x: 0, y: 0, width: t.image.width, height: t.image.height }, bands ?? Array.from({ length: t.bandCount }, (_, i) => i));
  } finally {
    await t.close();
  }
}

/** Grid from ModelPixelScale + ModelTiepoint or ModelTransformation, CRS from the GeoKeys. */
export function gridFromTags(img: TiffImage, url: string): Grid | undefined {
  const keys = img.tags.get(34735);
  const scale = img.tags.get(33550) as number[] | undefined;
  const tie = img.tags.get(33922) as number[] | undefined;
  const mt = img.tags.get(34264) as number[] | undefined;
  if (!Array.isArray(keys) || (!mt && !(scale && tie))) return undefined;
  const geo = new Map<number, number>();
  for (let i = 4; i + 3 < keys.length; i += 4) if (keys[i + 1] === 0) geo.set(keys[i]!, keys[i + 3]!);
  const code = geo.get(3072) ?? (geo.get(1024) === 2 ? geo.get(2048) : undefined);
  if (!code || code === 32767) throw new UnsupportedFormat(`${url}: CRS is not an EPSG code (user-defined GeoKeys are not supported)`);
  let t: Affine;
  if (mt) t = [mt[0]!, mt[1]!, mt[3]!, mt[4]!, mt[5]!, mt[7]!];
  else {
    const [i, j, , x, y] = tie!;
    t = [scale![0]!, 0, x! - i! * scale![0]!, 0, -scale![1]!, y! + j! * scale![1]!];
  }
  // PixelIsPoint rasters: the tie point is a pixel centre; shift to the corner (GDAL's default behaviour).
  if (geo.get(1025) === 2) t = [t[0], t[1], t[2] - 0.5 * t[0] - 0.5 * t[1], t[3], t[4], t[5] - 0.5 * t[3] - 0.5 * t[4]];
  if (!t.every(Number.isFinite)) throw new CorruptFile(`${url}: georeferencing tags are not finite`);
  return { crs: `EPSG:${code}`, transform: t, width: img.width, height: img.height };
}

interface GdalMetadata {
  dataset: Record<string, string>;
  bands: Record<number, Record<string, string>>;
}

/** Parses GDAL_METADATA XML items: dataset items, and per-sample description/scale/offset/other items. */
export function parseGdalMetadata(xml: unknown): GdalMetadata {
  const out: GdalMetadata = { dataset: {}, bands: {} };
  if (typeof xml !== "string") return out;
  for (const [rawAttrs, rawValue] of items(xml)) {
    const attrs = Object.fromEntries([...rawAttrs.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const value = unescapeXml(rawValue);
    // An item without a name (or role) has nothing to file it under: it made toLowerCase throw.
    const key = attrs.sample === undefined ? attrs.name : (attrs.role ?? attrs.name);
    if (key === undefined) continue;
    if (attrs.sample === undefined) out.dataset[key] = value;
    else {
      out.bands[Number(attrs.sample)] ??= {};
      const b = out.bands[Number(attrs.sample)]!;
      b[key.toLowerCase()] = value;
    }
  }
  return out;
}

/**
 * The <Item ...>value</Item> elements, as the regex /<Item\s+([^>]*)>([\s\S]*?)<\/Item>/g finds
 * them, by a forward scan: the regex tried every "<Item" against the rest of the text, quadratic on a
 * tag of thousands of unclosed items (a 128 KB GDAL_METADATA took half a second, a few MB minutes).
 */
function* items(xml: string): Generator<[attrs: string, value: string]> {
  // Each search only moves forward: the first ">" (or "</Item>") after this "<Item" is the one found
  // for an earlier "<Item" until the scan passes it.
  let [gt, end, closeAfterGt] = [-1, -1, -1];
  for (let at = xml.indexOf("<Item"); at >= 0; ) {
    if (gt < at) {
      gt = xml.indexOf(">", at);
      closeAfterGt = xml.indexOf("</Item>", gt + 1);
    }
    if (end < at) end = xml.indexOf("</Item>", at);
    if (end < 0) return;
    // The value ends at the first "</Item>" after the ">" that ends the start tag.
    const close = gt < end ? end : closeAfterGt;
    const head = xml.slice(at + 5, gt);
    const ok = close >= 0 && /^\s/.test(head);
    if (ok) yield [head.trimStart(), xml.slice(gt + 1, close)];
    at = xml.indexOf("<Item", ok ? close + 7 : at + 5);
  }
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
