/**
 * Cross-sensor harmonisation to Landsat 8/9 OLI surface reflectance before compositing a stack
 * that mixes sensors. Landsat TM/ETM+ -> OLI: the OLS coefficients of Roy et al. (2016, Remote
 * Sensing of Environment 185: 57-70, Table 2), band order B G R N S1 S2, OLI = slope * ETM + intercept
 * (applied to TM as well, as usual). Sentinel-2 MSI -> OLI (HLS bandpass adjustment, Claverie et
 * al. 2018) is not included: its coefficients could not be checked against the primary source
 * offline, so Sentinel-2 reflectance is left as it is and the record says so.
 */
import type { Sensor } from "../raster.ts";

const LETTERS = ["B", "G", "R", "N", "S1", "S2"] as const;

export const ROY_2016_ETM_TO_OLI = {
  slope: [0.8474, 0.8483, 0.9047, 0.8462, 0.8937, 0.9071],
  intercept: [0.0003, 0.0088, 0.0061, 0.0412, 0.0254, 0.0172],
  citation: "Roy et al. 2016, RSE 185:57-70, Table 2 (OLS, ETM+ to OLI)",
};

/** Adjusts the bands in place; returns the record for the run manifest. */
export function harmonizeToOli(sensor: Sensor, bands: Record<string, Float32Array>): string {
  if (sensor !== "landsat-4" && sensor !== "landsat-5" && sensor !== "landsat-7")
    return sensor === "sentinel-2" ? "Sentinel-2: no bandpass adjustment applied" : "OLI: reference, unchanged";
  LETTERS.forEach((l, k) => {
    const a = bands[l];
    if (!a) return;
    const s = ROY_2016_ETM_TO_OLI.slope[k]!;
    const c = ROY_2016_ETM_TO_OLI.intercept[k]!;
    for (let i = 0; i < a.length; i++) a[i] = a[i]! * s + c;
  });
  return `${sensor} -> OLI: ${ROY_2016_ETM_TO_OLI.citation}`;
}
