/**
 * Site mask overrides: bright pit benches, dumps and turbid ponds that Sentinel-2's scene
 * classification flags as cloud (SCL 8/9). Inside the named zones, pixels in the listed SCL
 * classes are kept valid when the spectral rule says "bright bare ground" (BSI > 0.1 and
 * NDVI < 0.2) or "water" (MNDWI > 0 with SWIR1 < 0.15 and blue < 0.25) rather than cloud.
 * MNDWI alone does not separate them: an optically thick cloud is flat from green to SWIR1
 * (0.54 vs 0.42 in the simulator's endmember: MNDWI 0.13), while water absorbs SWIR1 (turbid
 * tailings water about 0.02-0.06) and even sediment-laden ponds stay dark in blue.
 */
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import type { Grid } from "../raster.ts";
import type { Site } from "../site/site.ts";

/** Applied to a strip of the site grid whose first pixel is `offset` (row-major) in the grid. */
export type Override = (qa: Uint16Array, valid: Uint8Array, bands: Record<string, Float32Array>, offset: number) => void;

export function siteOverride(site: Site, grid: Grid): Override | undefined {
  if (!site.maskOverrides.length) return undefined;
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const rules = site.maskOverrides.map((o) => {
    const region = new Uint8Array(grid.width * grid.height);
    for (const z of site.zones.filter((z) => o.zones.includes(z.name) && !z.outsideAoi)) {
      const m = rasterizeRings(projectAoi(parseAoi(z.geometry), grid.crs), grid, all);
      for (let i = 0; i < m.length; i++) region[i]! |= m[i]!;
    }
    return { region, classes: new Set(o.keepSclClasses), water: /MNDWI/i.test(o.rule) };
  });
  return (qa, valid, b, offset) => {
    for (const r of rules)
      for (let i = 0; i < qa.length; i++) {
        if (!r.region[offset + i] || valid[i] || !r.classes.has(qa[i]!)) continue;
        const ndvi = (b.N![i]! - b.R![i]!) / (b.N![i]! + b.R![i]!);
        const bsi = (b.S1![i]! + b.R![i]! - b.N![i]! - b.B![i]!) / (b.S1![i]! + b.R![i]! + b.N![i]! + b.B![i]!);
        const mndwi = (b.G![i]! - b.S1![i]!) / (b.G![i]! + b.S1![i]!);
        if (r.water ? isWater(mndwi, b.S1![i]!, b.B![i]!) : bsi > 0.1 && ndvi < 0.2) valid[i] = 1;
      }
  };
}

/** Water, not cloud: MNDWI > 0 and dark in SWIR1 and blue (thresholds in the header). */
export function isWater(mndwi: number, swir1: number, blue: number): boolean {
  return mndwi > 0 && swir1 < 0.15 && blue < 0.25;
}
