/**
 * Tasseled cap coefficients, band order B, G, R, N, S1, S2 (docs/science.md: Indices).
 * Landsat surface reflectance: Crist 1985 (as used by LandTrendr and FORCE).
 * Sentinel-2: Shi & Xu 2019 (B2 B3 B4 B8 B11 B12).
 */
import type { Sensor } from "../raster.ts";

export type TcComponent = "brightness" | "greenness" | "wetness";

export const TC_LANDSAT: Record<TcComponent, number[]> = {
  brightness: [0.2043, 0.4158, 0.5524, 0.5741, 0.3124, 0.2303],
  greenness: [-0.1603, -0.2819, -0.4934, 0.794, -0.0002, -0.1446],
  wetness: [0.0315, 0.2021, 0.3102, 0.1594, -0.6806, -0.6109],
};

export const TC_SENTINEL2: Record<TcComponent, number[]> = {
  brightness: [0.351, 0.3813, 0.3437, 0.7196, 0.2396, 0.1949],
  greenness: [-0.3599, -0.3533, -0.4734, 0.6633, 0.0087, -0.2856],
  wetness: [0.2578, 0.2305, 0.0883, 0.1071, -0.7611, -0.5308],
};

export function tcCoefficients(component: TcComponent): (sensor: Sensor) => number[] {
  return (sensor) => (sensor === "sentinel-2" ? TC_SENTINEL2 : TC_LANDSAT)[component];
}

export function tcCitation(sensor: Sensor): string {
  return sensor === "sentinel-2" ? "Shi & Xu 2019 (Sentinel-2 TCT)" : "Crist 1985 (Landsat SR TCT)";
}
