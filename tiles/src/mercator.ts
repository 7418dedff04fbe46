/**
 * Web Mercator (EPSG:3857) XYZ tile math, y counted from the north as MapLibre expects.
 * Tile (z, x, y) covers [x, x + 1] x [y, y + 1] / 2^z of the world square of side 2 * HALF.
 */
export const HALF = 20037508.342789244;
export const MAX_ZOOM = 24;
export const TILE = 256;

export type Bounds = [minX: number, minY: number, maxX: number, maxY: number];

/** Tile bounds in EPSG:3857 metres. */
export function tileBounds(z: number, x: number, y: number): Bounds {
  const size = (2 * HALF) / 2 ** z;
  return [-HALF + x * size, HALF - (y + 1) * size, -HALF + (x + 1) * size, HALF - y * size];
}

export function lonLatToMercator(lon: number, lat: number): [number, number] {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  return [(lon * HALF) / 180, (Math.log(Math.tan(((90 + clamped) * Math.PI) / 360)) * HALF) / Math.PI];
}

export function mercatorToLonLat(x: number, y: number): [number, number] {
  return [(x / HALF) * 180, (360 / Math.PI) * Math.atan(Math.exp((y / HALF) * Math.PI)) - 90];
}

/** The tile containing a lon/lat at zoom z. */
export function tileOf(lon: number, lat: number, z: number): [number, number] {
  const [mx, my] = lonLatToMercator(lon, lat);
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.max(0, Math.floor(((mx + HALF) / (2 * HALF)) * n)));
  const y = Math.min(n - 1, Math.max(0, Math.floor(((HALF - my) / (2 * HALF)) * n)));
  return [x, y];
}

/** Tiles at zoom z covering a lon/lat box. */
export function tileCover(bbox: [number, number, number, number], z: number): [number, number][] {
  const [x0, y1] = tileOf(bbox[0], bbox[1], z);
  const [x1, y0] = tileOf(bbox[2], bbox[3], z);
  const out: [number, number][] = [];
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out.push([x, y]);
  return out;
}

export function validTile(z: number, x: number, y: number): boolean {
  return Number.isInteger(z) && Number.isInteger(x) && Number.isInteger(y) && z >= 0 && z <= MAX_ZOOM && x >= 0 && y >= 0 && x < 2 ** z && y < 2 ** z;
}

/** Ground size of one tile pixel at zoom z, in mercator metres. */
export function pixelSize(z: number): number {
  return (2 * HALF) / 2 ** z / TILE;
}
