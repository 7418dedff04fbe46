import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { toWgs84 } from "./datum.ts";
import { loadAoi } from "./load.ts";

const gcoord: typeof import("gcoord").default = createRequire(import.meta.url)("gcoord");
const sample = (name: string) => new URL(`../../../samples/aoi/${name}`, import.meta.url).pathname;

/**
 * WGS84 -> GCJ-02 written out by hand from the published "eviltransform" algorithm (Krasovsky
 * ellipsoid, transformLat/transformLon polynomials), independent of gcoord's code.
 */
function evilForward(lon: number, lat: number): [number, number] {
  const a = 6378245.0;
  const ee = 0.006693421622965943; // published as 0.00669342162296594323, here at double precision
  const x = lon - 105;
  const y = lat - 35;
  const s = (v: number) => Math.sin(v * Math.PI);
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20 * s(6 * x) + 20 * s(2 * x)) * 2) / 3 + ((20 * s(y) + 40 * s(y / 3)) * 2) / 3 + ((160 * s(y / 12) + 320 * s(y / 30)) * 2) / 3;
  let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += ((20 * s(6 * x) + 20 * s(2 * x)) * 2) / 3 + ((20 * s(x) + 40 * s(x / 3)) * 2) / 3 + ((150 * s(x / 12) + 300 * s(x / 30)) * 2) / 3;
  const rad = (lat / 180) * Math.PI;
  const magic = 1 - ee * Math.sin(rad) ** 2;
  dLat = (dLat * 180) / (((a * (1 - ee)) / (magic * Math.sqrt(magic))) * Math.PI);
  dLon = (dLon * 180) / ((a / Math.sqrt(magic)) * Math.cos(rad) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Ground distance in metres between two nearby lon/lat points (local equirectangular, WGS84 radii). */
function metres([x0, y0]: number[], [x1, y1]: number[]): number {
  const lat = (((y0! + y1!) / 2) * Math.PI) / 180;
  const e2 = 0.00669437999014;
  const w = 1 - e2 * Math.sin(lat) ** 2;
  const m = (6378137 * (1 - e2)) / w ** 1.5; // meridian radius of curvature
  const n = 6378137 / Math.sqrt(w); // prime vertical radius of curvature
  return Math.hypot((((x1! - x0!) * Math.PI) / 180) * n * Math.cos(lat), (((y1! - y0!) * Math.PI) / 180) * m);
}

const SITES = [
  ["Bayan Obo", 110.0, 41.8],
  ["Ganzhou", 114.9, 25.8],
] as const;

describe("GCJ-02 (AMap/Gaode, Tencent)", () => {
  for (const [name, lon, lat] of SITES)
    it(`${name}: the offset is hundreds of metres and gcoord undoes it within 0.5 m`, () => {
      const gcj = evilForward(lon, lat);
      const offset = metres([lon, lat], gcj);
      const back = gcoord.transform(gcj, gcoord.GCJ02, gcoord.WGS84);
      console.log(`${name}: GCJ-02 offset ${offset.toFixed(1)} m; gcoord inverse misses by ${(metres(back, [lon, lat]) * 1000).toFixed(1)} mm`);
      expect(offset).toBeGreaterThan(100);
      expect(offset).toBeLessThan(1000);
      expect(metres(back, [lon, lat])).toBeLessThan(0.5);
      // gcoord's own forward agrees with the hand-written one (same published formula).
      expect(metres(gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02), gcj)).toBeLessThan(1e-3);
    });

  it("loadAoi(..., { crs: 'gcj02' }) returns the WGS84 polygon and records the conversion", async () => {
    const ref = await loadAoi(sample("bayan-obo.geojson"));
    const raw = await loadAoi(sample("bayan-obo-gcj02.geojson"));
    const aoi = await loadAoi(sample("bayan-obo-gcj02.geojson"), { crs: "gcj02" });
    expect(aoi.conversion).toEqual({ from: "gcj02", to: "wgs84", library: "gcoord@1.0.7" });
    expect(raw.conversion).toBeUndefined();
    const err = (a: number[][][][]) => Math.max(...a[0]!.flatMap((ring, r) => ring.map((p, i) => metres(p, ref.polygons[0]![r]![i]!))));
    expect(err(raw.polygons)).toBeGreaterThan(400);
    expect(err(aoi.polygons)).toBeLessThan(0.5);
    // Rings stay closed: first and last positions convert identically.
    for (const ring of aoi.polygons[0]!) expect(ring.at(-1)).toEqual(ring[0]);
  });

  it("converts BD-09 (Baidu) as well, and leaves WGS84 alone", () => {
    const wgs = [
      [
        [
          [110, 41.8],
          [110.01, 41.8],
          [110.01, 41.81],
          [110, 41.8],
        ],
      ],
    ];
    const toBd09 = (q: number[]) => gcoord.transform(q as [number, number], gcoord.WGS84, gcoord.BD09) as number[];
    const bd = wgs.map((p) => p.map((r) => r.map(toBd09)));
    const out = toWgs84(bd, "bd09");
    expect(out.conversion).toEqual({ from: "bd09", to: "wgs84", library: "gcoord@1.0.7" });
    expect(metres(bd[0]![0]![0]!, wgs[0]![0]![0]!)).toBeGreaterThan(100);
    for (const [i, p] of out.polygons[0]![0]!.entries()) expect(metres(p, wgs[0]![0]![i]!)).toBeLessThan(0.5);
    expect(toWgs84(wgs, "wgs84")).toEqual({ polygons: wgs });
  });
});
