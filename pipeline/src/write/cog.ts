/**
 * Cloud-Optimized GeoTIFF writer. Strips of rows stream in top to bottom; every pyramid level
 * spills compressed tiles to its own temporary file; `finish()` lays out the COG the way GDAL's
 * validator expects (header, all IFDs, then tile data from the smallest overview to full
 * resolution, each level in row-major order) and renames it into place.
 */
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { BadParameter, ReewatchError } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { tempPathFor } from "./atomic.ts";
import { type PyramidLevel as Level, PyramidLevel, type Resampling, type SampleArray, type SampleCtor } from "./cog-level.ts";
import { cogTags, gdalMetadataXml } from "./cog-tags.ts";
import { encodeIfd, ifdSize, tiffHeader } from "./tiff-ifd.ts";

export type CogDataType = "float32" | "uint8" | "uint16" | "int16";

export interface CogOptions {
  /** Tile size in pixels (default 512). */
  tileSize?: number;
  /** Deflate level 1-9 (default 6, as GDAL). */
  level?: number;
  /** Overview resampling: "average" (NaN/nodata-aware; default for float), "nearest" (default for integers), "mode". */
  overviewResampling?: Resampling;
  /** No-data value (default NaN for float32, none for integers). Written as GDAL_NODATA. */
  nodata?: number;
  bandDescriptions?: string[];
  /** Dataset-level GDAL metadata items (SIMULATED=true, REEWATCH_PRODUCT=ndvi, ...). */
  metadata?: Record<string, string>;
  scale?: number[];
  offset?: number[];
  /** BigTIFF: "auto" (when offsets could pass 4 GiB), "yes" or "no". */
  bigtiff?: "auto" | "yes" | "no";
}

const CTORS: Record<CogDataType, SampleCtor> = {
  float32: Float32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
};

export class CogWriter {
  private rowsWritten = 0;
  private done = false;

  private constructor(
    readonly path: string,
    readonly grid: Grid,
    readonly dataType: CogDataType,
    readonly bands: number,
    private readonly opts: CogOptions,
    private readonly levels: Level[],
    private readonly spills: { path: string; handle: FileHandle }[],
  ) {}

  static async create(path: string, grid: Grid, dataType: CogDataType, bandCount: number, opts: CogOptions = {}): Promise<CogWriter> {
    const ctor = CTORS[dataType];
    if (!ctor) throw new BadParameter(`${path}: unsupported COG data type ${dataType}`);
    if (!(grid.width > 0 && grid.height > 0)) throw new BadParameter(`${path}: empty grid ${grid.width}x${grid.height}`);
    const tile = opts.tileSize ?? 512;
    if (tile % 16 !== 0) throw new BadParameter(`${path}: tile size ${tile} is not a multiple of 16`);
    const sizes = pyramidSizes(grid.width, grid.height, tile);
    const spills: { path: string; handle: FileHandle }[] = [];
    try {
      for (let i = 0; i < sizes.length; i++) {
        const p = tempPathFor(`${path}.level${i}`);
        spills.push({ path: p, handle: await open(p, "w+") });
      }
    } catch (err) {
      await Promise.all(spills.map((s) => s.handle.close().then(() => rm(s.path, { force: true }))));
      throw new ReewatchError(`${path}: cannot write in ${dirname(path)} (${(err as NodeJS.ErrnoException).code})`);
    }
    const isFloat = dataType === "float32";
    const nodata = opts.nodata ?? (isFloat ? Number.NaN : undefined);
    const resampling = opts.overviewResampling ?? (isFloat ? "average" : "nearest");
    let next: Level | null = null;
    const levels: Level[] = [];
    for (let i = sizes.length - 1; i >= 0; i--) {
      const [width, height] = sizes[i]!;
      const spec = {
        width,
        height,
        tile,
        bands: bandCount,
        ctor,
        nodata: nodata ?? 0,
        level: i,
        deflateLevel: opts.level ?? 6,
        resampling,
      };
      next = new PyramidLevel(spec, spills[i]!.handle, next);
      levels.unshift(next);
    }
    return new CogWriter(path, grid, dataType, bandCount, { ...opts, nodata }, levels, spills);
  }

  /** Rows y0 .. y0 + h - 1 of every band (each array holds width * h samples), in order. */
  async writeRows(y0: number, bands: ArrayLike<number>[]): Promise<void> {
    const { width, height } = this.grid;
    if (this.done) throw new ReewatchError(`${this.path}: writer already finished`);
    if (y0 !== this.rowsWritten) throw new ReewatchError(`${this.path}: rows must arrive in order (expected row ${this.rowsWritten}, got ${y0})`);
    if (bands.length !== this.bands) throw new ReewatchError(`${this.path}: expected ${this.bands} band(s), got ${bands.length}`);
    const h = bands[0]!.length / width;
    if (!Number.isInteger(h) || bands.some((b) => b.length !== bands[0]!.length))
      throw new ReewatchError(`${this.path}: band arrays must all hold a whole number of ${width}-pixel rows`);
    if (y0 + h > height) throw new ReewatchError(`${this.path}: rows ${y0}..${y0 + h - 1} pass the image height ${height}`);
    const ctor = CTORS[this.dataType];
    const typed = bands.map((b) => (b instanceof ctor ? (b as SampleArray) : (ctor.from(b) as SampleArray)));
    for (let r = 0; r < h; r++) await this.levels[0]!.pushRow(typed.map((b) => b.subarray(r * width, (r + 1) * width) as SampleArray));
    this.rowsWritten += h;
  }

  async finish(): Promise<void> {
    if (this.rowsWritten !== this.grid.height) throw new ReewatchError(`${this.path}: only ${this.rowsWritten} of ${this.grid.height} rows were written`);
    this.done = true;
    const tmp = tempPathFor(this.path);
    try {
      await this.assemble(tmp);
      await rename(tmp, this.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err instanceof ReewatchError ? err : new ReewatchError(`${this.path}: cannot write (${(err as Error).message})`);
    } finally {
      await this.cleanup();
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    await this.cleanup();
  }

  private async cleanup(): Promise<void> {
    await Promise.all(
      this.spills.map(async (s) => {
        await s.handle.close().catch(() => {});
        await rm(s.path, { force: true });
      }),
    );
  }

  private async assemble(tmp: string): Promise<void> {
    const dataBytes = this.levels.reduce((s, l) => s + l.spillSize, 0);
    const big = this.opts.bigtiff === "yes" || (this.opts.bigtiff !== "no" && dataBytes > 0xf0000000);
    const metadata = gdalMetadataXml(this.opts.metadata ?? {}, this.opts.bandDescriptions, this.opts.scale, this.opts.offset);
    const tagsFor = (l: Level, offsets: number[]) =>
      cogTags({
        level: l,
        grid: this.grid,
        dataType: this.dataType,
        bands: this.bands,
        big,
        offsets,
        nodata: this.opts.nodata,
        metadata: l.spec.level === 0 ? metadata : undefined,
        isOverview: l.spec.level > 0,
      });
    // Sizes do not depend on offset values: lay out with zeros first.
    const header = big ? 16 : 8;
    const ifdStarts: number[] = [];
    let p = header;
    for (const l of this.levels) {
      ifdStarts.push(p);
      p += ifdSize(tagsFor(l, new Array(l.counts.length).fill(0)), big);
    }
    // Tile data: smallest overview first, full resolution last.
    const dataStart: number[] = new Array(this.levels.length);
    for (let i = this.levels.length - 1; i >= 0; i--) {
      dataStart[i] = p;
      p += this.levels[i]!.spillSize;
    }
    if (!big && p > 0xffffffff) throw new ReewatchError(`${this.path}: ${p} bytes need BigTIFF (use bigtiff "auto" or "yes")`);
    const out = await open(tmp, "w");
    try {
      await out.write(tiffHeader(big, ifdStarts[0]!), 0, header, 0);
      for (let i = 0; i < this.levels.length; i++) {
        const l = this.levels[i]!;
        const ifd = encodeIfd(
          tagsFor(
            l,
            l.offsets.map((o) => o + dataStart[i]!),
          ),
          big,
          ifdStarts[i]!,
          i + 1 < this.levels.length ? ifdStarts[i + 1]! : 0,
        );
        await out.write(ifd, 0, ifd.byteLength, ifdStarts[i]!);
      }
      for (let i = this.levels.length - 1; i >= 0; i--) await copySpill(this.spills[i]!.handle, this.levels[i]!.spillSize, out, dataStart[i]!);
    } finally {
      await out.close();
    }
  }
}

async function copySpill(src: FileHandle, size: number, dst: FileHandle, at: number): Promise<void> {
  const chunk = Buffer.allocUnsafe(Math.min(size, 8 << 20) || 1);
  for (let off = 0; off < size; ) {
    const { bytesRead } = await src.read(chunk, 0, Math.min(chunk.byteLength, size - off), off);
    if (bytesRead === 0) throw new ReewatchError("spill file ended early");
    await dst.write(chunk, 0, bytesRead, at + off);
    off += bytesRead;
  }
}

/** Level sizes: full resolution, then halves until the level fits in one tile. */
export function pyramidSizes(width: number, height: number, tile: number): [number, number][] {
  const out: [number, number][] = [[width, height]];
  while (out.at(-1)![0] > tile || out.at(-1)![1] > tile) {
    const [w, h] = out.at(-1)!;
    out.push([Math.ceil(w / 2), Math.ceil(h / 2)]);
  }
  return out;
}

/** Writes an in-memory raster (one typed array per band) as a COG. */
export async function writeCog(path: string, grid: Grid, bands: SampleArray[], opts: CogOptions = {}): Promise<void> {
  const dataType: CogDataType =
    bands[0] instanceof Float32Array ? "float32" : bands[0] instanceof Uint16Array ? "uint16" : bands[0] instanceof Int16Array ? "int16" : "uint8";
  const w = await CogWriter.create(path, grid, dataType, bands.length, opts);
  try {
    await w.writeRows(0, bands);
    await w.finish();
  } catch (err) {
    await w.abort();
    throw err;
  }
}
