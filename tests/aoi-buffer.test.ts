/**
 * bufferAoi (turf: sphere, azimuthal equidistant) against OGR/GEOS buffering in UTM 49N, the
 * projected CRS a user would pick at Bayan Obo: a 1 km square grown by 200 m.
 */
import { describe, expect, it } from "vitest";
import { bufferAoi, parseAoi, projectAoi } from "../pipeline/src/aoi/aoi.ts";
import { transformer } from "../pipeline/src/project.ts";
import { gdalPython, hasGdal } from "./helpers/gdal.ts";

const UTM = "EPSG:32649";
const [W, S, E, N] = [416500, 4625500, 417500, 4626500]; // 1 km square near Bayan Obo, in UTM metres
const STEPS = 8; // segments per quarter circle, the same for turf and GEOS

function shoelace(ring: number[][]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(s) / 2;
}

/** The square as an Aoi in lon/lat, its corners converted with proj4 (which agrees with PROJ to 1 mm). */
function squareAoi() {
  const inv = transformer(UTM, "EPSG:4326");
  const ring = [
    [W, S],
    [E, S],
    [E, N],
    [W, N],
    [W, S],
  ].map(([x, y]) => inv(x!, y!));
  return parseAoi({ type: "Polygon", coordinates: [ring] }, "1 km square");
}

describe("bufferAoi", () => {
  it("grows a 1 km square by about 200 m on every side and notes it", () => {
    const grown = bufferAoi(squareAoi(), 200, STEPS);
    const [ring] = projectAoi(grown, UTM, 1)[0]!;
    const xs = ring!.map((p) => p[0]!);
    const ys = ring!.map((p) => p[1]!);
    const margins = [W - Math.min(...xs), Math.max(...xs) - E, S - Math.min(...ys), Math.max(...ys) - N];
    console.log(`margins in UTM metres (W, E, S, N): ${margins.map((m) => m.toFixed(2)).join(", ")}`);
    for (const m of margins) expect(Math.abs(m - 200)).toBeLessThan(1.5);
    expect(grown.notes).toEqual(["buffered by 200 m with @turf/buffer@7.4.0 (spherical approximation, 8 segments per quarter circle)"]);
    expect(grown.label).toBe("1 km square");
  });

  it("rejects a negative or non-finite margin", () => {
    expect(() => bufferAoi(squareAoi(), -5)).toThrow("1 km square: buffer of -5 m; expected a distance >= 0 m");
    expect(() => bufferAoi(squareAoi(), Number.NaN)).toThrow(/buffer of NaN m/);
  });

  it("matches OGR's buffer in EPSG:32649 in area to 0.05 %", { skip: !hasGdal }, () => {
    const grown = bufferAoi(squareAoi(), 200, STEPS);
    const ours = shoelace(projectAoi(grown, UTM, 1)[0]![0]!);
    const ogr = gdalPython<number>(
      `from osgeo import ogr
sq = ogr.CreateGeometryFromWkt("POLYGON((${W} ${S},${E} ${S},${E} ${N},${W} ${N},${W} ${S}))")
print(json.dumps(sq.Buffer(200, ${STEPS}).GetArea()))`,
    );
    const rel = (ours - ogr) / ogr;
    console.log(`1 km square + 200 m: turf ${ours.toFixed(0)} m2, OGR (UTM 49N) ${ogr.toFixed(0)} m2, relative difference ${(rel * 100).toFixed(4)} %`);
    expect(Math.abs(rel)).toBeLessThan(5e-4);
  });
});
