/**
 * Cross-sensor harmonisation to Landsat 8/9 OLI surface reflectance, for stacks that mix sensor
 * families (TM/ETM+, OLI, MSI); a stack of one family is composited as it is. Band order B G R N
 * S1 S2, OLI = slope * x + intercept.
 * - Landsat TM/ETM+ -> OLI: the OLS coefficients of Roy et al. (2016, Remote Sensing of
 *   Environment 185: 57-70, Table 2), applied to TM as well, as usual.
 * - Sentinel-2A/2B MSI -> OLI: the HLS bandpass adjustment (Claverie et al. 2018, Remote Sensing
 *   of Environment 219: 145-161; coefficients as published by the HLS project for v2.0, fitted on
 *   500 Hyperion spectra). Their NIR row is fitted on B8A; applied to B08 the record says so.
 *   Sentinel-2C has no published row here: it is left unchanged and the record says that too.
 */
import type { Sensor } from "../raster.ts";

const LETTERS = ["B", "G", "R", "N", "S1", "S2"] as const;

interface Adjustment {
  slope: number[];
  intercept: number[];
  citation: string;
}

export const ROY_2016_ETM_TO_OLI: Adjustment = {
  slope: [0.8474, 0.8483, 0.9047, 0.8462, 0.8937, 0.9071],
  intercept: [0.0003, 0.0088, 0.0061, 0.0412, 0.0254, 0.0172],
  citation: "Roy et al. 2016, RSE 185:57-70, Table 2 (OLS, ETM+ to OLI)",
};

const HLS = "HLS v2.0 bandpass adjustment MSI to OLI (Claverie et al. 2018, RSE 219:145-161)";
export const HLS_MSI_TO_OLI: Record<"sentinel-2a" | "sentinel-2b", Adjustment> = {
  "sentinel-2a": {
    slope: [0.9778, 1.0053, 0.9765, 0.9983, 0.9987, 1.003],
    intercept: [-0.004, -0.0009, 0.0009, -0.0001, -0.0011, -0.0012],
    citation: `${HLS}, Sentinel-2A`,
  },
  "sentinel-2b": {
    slope: [0.9778, 1.0075, 0.9761, 0.9966, 1.0, 0.9867],
    intercept: [-0.004, -0.0008, 0.001, 0.0, -0.0003, 0.0004],
    citation: `${HLS}, Sentinel-2B`,
  },
};

/** Every table, for the run manifest (band order B G R N S1 S2). */
export const HARMONIZATION_COEFFICIENTS = { "landsat-4/5/7": ROY_2016_ETM_TO_OLI, ...HLS_MSI_TO_OLI };

export type SensorFamily = "tm-etm" | "oli" | "msi";

export function sensorFamily(sensor: Sensor): SensorFamily {
  if (sensor === "sentinel-2") return "msi";
  return sensor === "landsat-8" || sensor === "landsat-9" ? "oli" : "tm-etm";
}

/** True when the sensors of a stack come from more than one family: only then is it harmonised. */
export function mixesSensorFamilies(sensors: Sensor[]): boolean {
  return new Set(sensors.map(sensorFamily)).size > 1;
}

/** "sentinel-2a" from a STAC platform or, failing that, from a product id ("S2B_..."). */
export function s2Platform(platform: unknown, id: string): string {
  if (typeof platform === "string" && platform.trim()) return platform.trim().toLowerCase();
  const m = /^S2([A-D])_/i.exec(id);
  return m ? `sentinel-2${m[1]!.toLowerCase()}` : "sentinel-2 (platform unknown)";
}

/**
 * Adjusts the bands in place to OLI; returns the record for the manifest. `platform` tells
 * Sentinel-2A from 2B; `nirBand` is the band N holds ("B08" or "B8A").
 */
export function harmonizeToOli(sensor: Sensor, bands: Record<string, Float32Array>, platform = "", nirBand = ""): string {
  const family = sensorFamily(sensor);
  if (family === "oli") return "OLI: reference, unchanged";
  const adj = family === "tm-etm" ? ROY_2016_ETM_TO_OLI : HLS_MSI_TO_OLI[platform as keyof typeof HLS_MSI_TO_OLI];
  if (!adj) return `${platform || sensor}: no published MSI to OLI adjustment here, unchanged`;
  LETTERS.forEach((l, k) => {
    const a = bands[l];
    if (!a) return;
    const s = adj.slope[k]!;
    const c = adj.intercept[k]!;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! * s + c;
  });
  const nirNote = family === "msi" && nirBand && nirBand !== "B8A" ? ` (NIR row fitted on B8A, applied to ${nirBand})` : "";
  return `${family === "msi" ? platform : sensor} -> OLI: ${adj.citation}${nirNote}`;
}
