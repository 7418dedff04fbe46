/**
 * Disturbance Index (Healey et al. 2005): DI = B' - (G' + W'), each tasseled-cap component
 * standardised by the mean and standard deviation of undisturbed vegetation in the same scene.
 * "Undisturbed vegetation" here: valid pixels with NDVI >= 0.6 (dense, healthy canopy); a scene
 * with fewer than 100 such pixels has no reference and its DI is all NaN (with a warning).
 */
import type { Sensor } from "../raster.ts";
import { type Bands, EPS } from "./families.ts";
import type { IndexDef } from "./table.ts";
import { TC_LANDSAT, TC_SENTINEL2 } from "./tasseled-cap.ts";

export const DI_NDVI_THRESHOLD = 0.6;
export const DI_MIN_PIXELS = 100;
const ORDER = ["B", "G", "R", "N", "S1", "S2"] as const;

export interface TcStats {
  count: number;
  mean: [number, number, number];
  sd: [number, number, number];
}

function tcAt(bands: Bands, i: number, sensor: Sensor): [number, number, number] {
  const c = sensor === "sentinel-2" ? TC_SENTINEL2 : TC_LANDSAT;
  let b = 0;
  let g = 0;
  let w = 0;
  ORDER.forEach((l, k) => {
    const v = bands[l]![i]!;
    b += c.brightness[k]! * v;
    g += c.greenness[k]! * v;
    w += c.wetness[k]! * v;
  });
  return [b, g, w];
}

/** Accumulates TC statistics of the reference vegetation over strips (first pass). */
export class TcStatsAccumulator {
  private n = 0;
  private readonly s = [0, 0, 0];
  private readonly ss = [0, 0, 0];

  add(bands: Bands, valid: Uint8Array, sensor: Sensor): void {
    const N = bands.N!;
    const R = bands.R!;
    for (let i = 0; i < valid.length; i++) {
      if (!valid[i]) continue;
      const den = N[i]! + R[i]!;
      if (!(Math.abs(den) >= EPS) || (N[i]! - R[i]!) / den < DI_NDVI_THRESHOLD) continue;
      const t = tcAt(bands, i, sensor);
      if (!t.every(Number.isFinite)) continue;
      this.n++;
      for (let k = 0; k < 3; k++) {
        this.s[k]! += t[k]!;
        this.ss[k]! += t[k]! * t[k]!;
      }
    }
  }

  result(): TcStats {
    const mean = this.s.map((v) => v / (this.n || 1)) as [number, number, number];
    const sd = this.ss.map((v, k) => Math.sqrt(Math.max(0, v / (this.n || 1) - mean[k]! ** 2))) as [number, number, number];
    return { count: this.n, mean, sd };
  }
}

/** The DI table entry for one scene's reference statistics. */
export function diDef(stats: TcStats): IndexDef {
  const usable = stats.count >= DI_MIN_PIXELS && stats.sd.every((v) => v > EPS);
  return {
    name: "di",
    title: "Disturbance Index",
    bands: [...ORDER],
    range: [-3, 8],
    unit: "",
    colormap: "magnitude",
    citation: "Healey et al. 2005",
    description: "Disturbance Index: bright, not green, not wet compared with the scene's dense vegetation; high on fresh clearings and bare ground.",
    kernel: (bands, valid, out, sensor) => {
      for (let i = 0; i < out.length; i++) {
        if (!usable || (valid && !valid[i])) {
          out[i] = Number.NaN;
          continue;
        }
        const [b, g, w] = tcAt(bands, i, sensor);
        const v = (b - stats.mean[0]) / stats.sd[0] - ((g - stats.mean[1]) / stats.sd[1] + (w - stats.mean[2]) / stats.sd[2]);
        out[i] = Number.isFinite(v) ? v : Number.NaN;
      }
    },
  };
}
