/** Argument checks of the COG writer: one-line BadParameter errors naming the file and the parameter. */
import { BadParameter } from "../errors.ts";
import type { Grid } from "../raster.ts";
import type { CogOptions } from "./cog.ts";
import type { CogDataType } from "./cog-tags.ts";
import type { SampleCtor } from "./cog-tile.ts";
import { geoTags } from "./geokeys.ts";

const CTORS: Record<CogDataType, SampleCtor> = {
  float32: Float32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
};

const RANGE: Record<CogDataType, [number, number]> = {
  float32: [-Infinity, Infinity],
  uint8: [0, 255],
  uint16: [0, 65535],
  int16: [-32768, 32767],
};

export function cogCtor(t: CogDataType): SampleCtor {
  return CTORS[t];
}

/** RGB photometric: three uint8 bands described as red, green, blue. */
export function rgbBands(t: CogDataType, bands: number, descriptions: string[] | undefined): boolean {
  return t === "uint8" && bands === 3 && (descriptions ?? []).map((d) => d.toLowerCase()).join(",") === "red,green,blue";
}

export function checkCogArgs(path: string, grid: Grid, dataType: CogDataType, bands: number, o: CogOptions): void {
  const bad = (what: string) => new BadParameter(`${path}: ${what}`);
  if (!Object.hasOwn(CTORS, dataType)) throw bad(`unsupported COG data type "${dataType}" (float32, uint8, uint16 or int16)`);
  if (!(Number.isInteger(grid.width) && Number.isInteger(grid.height) && grid.width > 0 && grid.height > 0))
    throw bad(`grid size ${grid.width}x${grid.height} is not a positive whole number of pixels`);
  if (!(Number.isInteger(bands) && bands >= 1 && bands <= 1000)) throw bad(`band count ${bands} is not 1..1000`);
  const tile = o.tileSize ?? 512;
  if (!(Number.isInteger(tile) && tile >= 16 && tile <= 4096 && tile % 16 === 0)) throw bad(`tileSize ${tile} is not a multiple of 16 in 16..4096`);
  const level = o.level ?? 6;
  if (!(Number.isInteger(level) && level >= 1 && level <= 9)) throw bad(`deflate level ${level} is not 1..9`);
  if (o.overviewResampling && !["average", "nearest", "mode"].includes(o.overviewResampling))
    throw bad(`overviewResampling "${o.overviewResampling}" is not average, nearest or mode`);
  if (o.strategy && !["default", "rle"].includes(o.strategy)) throw bad(`strategy "${o.strategy}" is not default or rle`);
  if (o.bigtiff && !["auto", "yes", "no"].includes(o.bigtiff)) throw bad(`bigtiff "${o.bigtiff}" is not auto, yes or no`);
  if (o.nodata !== undefined && dataType !== "float32") {
    const [lo, hi] = RANGE[dataType];
    if (!(Number.isInteger(o.nodata) && o.nodata >= lo && o.nodata <= hi)) throw bad(`nodata ${o.nodata} does not fit ${dataType}`);
  }
  for (const [name, list] of [
    ["bandDescriptions", o.bandDescriptions],
    ["scale", o.scale],
    ["offset", o.offset],
  ] as const)
    if (list && list.length > bands) throw bad(`${name} has ${list.length} entries for ${bands} band(s)`);
  try {
    geoTags(grid);
  } catch (err) {
    throw bad((err as Error).message);
  }
}
