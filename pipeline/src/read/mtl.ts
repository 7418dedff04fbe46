/** Landsat MTL.txt metadata (ODL "GROUP = ... END_GROUP"), parsed into nested objects. */
import { UnsupportedFormat } from "../errors.ts";
import type { Grid } from "../raster.ts";

export type Mtl = { [key: string]: string | Mtl };

export function parseMtl(text: string): Mtl {
  const root: Mtl = {};
  const stack: Mtl[] = [root];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line === "END") continue;
    const m = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    const top = stack[stack.length - 1]!;
    if (key === "GROUP") {
      const g: Mtl = {};
      top[value] = g;
      stack.push(g);
    } else if (key === "END_GROUP") {
      if (stack.length > 1) stack.pop();
    } else top[key] = value.replace(/^"|"$/g, "");
  }
  return root;
}

/** First value of `key` in the named group (searched at any depth). */
export function mtlValue(mtl: Mtl, group: string, key: string): string | undefined {
  const g = findGroup(mtl, group);
  const v = g?.[key];
  return typeof v === "string" ? v : undefined;
}

/** Depth first, with a stack of its own: a file of thousands of nested GROUPs overflowed the call stack. */
function findGroup(m: Mtl, name: string): Mtl | undefined {
  const stack = [Object.entries(m).values()];
  while (stack.length > 0) {
    const next = stack[stack.length - 1]!.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    const [k, v] = next.value;
    if (typeof v === "string") continue;
    if (k === name) return v;
    stack.push(Object.entries(v).values());
  }
  return undefined;
}

/**
 * Grid of a band file without geotags from the MTL's PROJECTION_ATTRIBUTES: the corner
 * coordinates are pixel centres (UTM north zones, negative northings south of the equator), so
 * the outer edge is half a cell further out. The corners must span exactly width x height cells.
 */
export function mtlGrid(mtl: Mtl, width: number, height: number, thermal: boolean, where: string): Grid {
  const g = "PROJECTION_ATTRIBUTES";
  const num = (k: string) => Number(mtlValue(mtl, g, k) ?? Number.NaN);
  const projection = mtlValue(mtl, g, "MAP_PROJECTION") ?? "UTM";
  // The value goes into a one-line message: runs of white space as one space, an empty one quoted.
  if (projection !== "UTM")
    throw new UnsupportedFormat(`${where}: MTL MAP_PROJECTION ${projection.replace(/\s+/g, " ").trim() || '""'} is not supported (UTM is)`);
  const zone = num("UTM_ZONE");
  const [ulx, uly, lrx, lry] = ["UL_PROJECTION_X", "UL_PROJECTION_Y", "LR_PROJECTION_X", "LR_PROJECTION_Y"].map((k) => num(`CORNER_${k}_PRODUCT`));
  const cell = num(thermal ? "GRID_CELL_SIZE_THERMAL" : "GRID_CELL_SIZE_REFLECTIVE");
  if (![zone, ulx, uly, lrx, lry, cell].every(Number.isFinite) || zone < 1 || zone > 60)
    throw new UnsupportedFormat(`${where}: MTL lacks UTM_ZONE, CORNER_UL/LR_PROJECTION_*_PRODUCT or GRID_CELL_SIZE`);
  if (!Number.isInteger(zone)) throw new UnsupportedFormat(`${where}: MTL UTM_ZONE ${zone} is not a zone number`);
  // A zero cell made the spans below NaN, which passed the size check: a grid of zero-sized cells.
  if (cell <= 0) throw new UnsupportedFormat(`${where}: MTL grid cell size ${cell} is not positive`);
  const across = (lrx! - ulx!) / cell + 1;
  const down = (uly! - lry!) / cell + 1;
  // Written so that NaN fails too.
  if (!(Math.abs(across - width) <= 1e-6 && Math.abs(down - height) <= 1e-6))
    throw new UnsupportedFormat(`${where}: MTL corners span ${across} x ${down} cells of ${cell} m but the file is ${width} x ${height} pixels`);
  return { crs: `EPSG:${32600 + zone}`, transform: [cell, 0, ulx! - cell / 2, 0, -cell, uly! + cell / 2], width, height };
}
