/** The claim's area: a named zone or control of the site, "AOI", or a GeoJSON geometry. */
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import type { Claim } from "./claim.ts";
import type { RunData } from "./run-data.ts";

export type ClaimZone = { name: string; mask: Uint8Array; pixels: number } | { name: string; outside: string };

export function claimZone(claim: Claim, run: RunData): ClaimZone {
  const all = { x: 0, y: 0, width: run.grid.width, height: run.grid.height };
  const aoi = rasterizeRings(projectAoi(parseAoi(run.site.aoi), run.grid.crs), run.grid, all);
  let name: string;
  let geometry: unknown;
  if (typeof claim.zone === "string") {
    name = claim.zone;
    if (name === "AOI") geometry = run.site.aoi;
    else {
      const z = [...run.site.zones, ...run.site.controls].find((z) => z.name === name);
      if (!z)
        throw new BadParameter(
          `claim ${claim.id}: zone "${name}" is not in site ${run.site.key} (zones: ${["AOI", ...run.site.zones.map((z) => z.name)].join(", ")})`,
        );
      if ("outsideAoi" in z && z.outsideAoi)
        return {
          name,
          outside: `zone "${name}" lies outside the run's AOI (${"note" in z && z.note ? z.note : "not mapped"})`,
        };
      geometry = z.geometry;
    }
  } else {
    name = "claim polygon";
    geometry = claim.zone;
  }
  const m = rasterizeRings(projectAoi(parseAoi(geometry, `claim ${claim.id} zone`), run.grid.crs), run.grid, all);
  let pixels = 0;
  for (let i = 0; i < m.length; i++) {
    m[i]! &= aoi[i]!;
    pixels += m[i]!;
  }
  if (pixels === 0) return { name, outside: `the claim's area does not overlap the run's AOI` };
  return { name, mask: m, pixels };
}
