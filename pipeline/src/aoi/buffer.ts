/**
 * bufferAoi: the AOI grown by a margin in metres (the fetch margin), with @turf/buffer.
 *
 * Accuracy: turf does not buffer on the ellipsoid. It projects the AOI to an azimuthal equidistant
 * plane on a sphere (R = 6371008.8 m) centred on the AOI, buffers there with JSTS (`steps` segments
 * per quarter circle) and projects back. The margin is therefore true on that sphere, not on WGS84:
 * at 42 N the sphere's radius is 0.26 % below WGS84's east-west radius of curvature and 0.11 %
 * above its north-south one, so margins come out that much long (E-W) or short (N-S), well under a
 * metre for a few hundred metres. Measured in tests/aoi-buffer.test.ts for a
 * 1 km UTM square at Bayan Obo grown by 200 m: margins 200.46 m (E, W) and 199.71 m (N, S) in
 * EPSG:32649, and an area 0.023 % larger than OGR/GEOS buffering the square in EPSG:32649 with the
 * same segment count. Fine for a fetch margin; not a survey-grade offset.
 */
import { buffer } from "@turf/buffer";
import { BadParameter } from "../errors.ts";
import { library } from "./library.ts";
import type { Aoi } from "./parse.ts";

export function bufferAoi(aoi: Aoi, metres: number, steps = 8): Aoi {
  if (!Number.isFinite(metres) || metres < 0) throw new BadParameter(`${aoi.label}: buffer of ${metres} m; expected a distance >= 0 m`);
  // One MultiPolygon, so margins of neighbouring polygons merge instead of overlapping.
  const grown = buffer({ type: "MultiPolygon", coordinates: aoi.polygons }, metres, { units: "meters", steps });
  if (!grown) throw new BadParameter(`${aoi.label}: buffering by ${metres} m gave an empty polygon`);
  const g = grown.geometry;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const note = `buffered by ${metres} m with ${library("@turf/buffer")} (spherical approximation, ${steps} segments per quarter circle)`;
  return { ...aoi, polygons, notes: [...(aoi.notes ?? []), note] };
}
