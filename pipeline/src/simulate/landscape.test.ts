import { describe, expect, it } from "vitest";
import { parseAoi, projectAoi, rasterizeRings } from "../aoi/aoi.ts";
import { loadSite, mappedZones, siteGrid } from "../site/site.ts";
import { buildLandscape, chamferDepth } from "./landscape.ts";

describe("chamfer depth", () => {
  it("counts pixels to the nearest outside pixel (3-4 chamfer / 3), the grid edge being outside", () => {
    const d = chamferDepth(new Uint8Array(25).fill(1), 5, 5);
    expect([...d]).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 3, 2, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
    const hole = new Uint8Array(25).fill(1);
    hole[12] = 0;
    expect(chamferDepth(hole, 5, 5)[12]).toBe(0);
    expect(chamferDepth(hole, 5, 5)[7]).toBe(1);
  });
});

describe("Bayan Obo landscape", async () => {
  const site = await loadSite("bayan-obo");
  const grid = siteGrid(site);
  const l = buildLandscape(site, grid, 1);
  const all = { x: 0, y: 0, width: grid.width, height: grid.height };
  const zoneIndex = (name: string) => l.zones.findIndex((z) => z.name === name) + 1;
  const pixels = (k: number) => [...l.zone.keys()].filter((i) => l.zone[i] === k);

  it("rasterises each mapped zone at pixel centres, as aoi.ts does", () => {
    for (const [k, z] of mappedZones(site).entries()) {
      const m = rasterizeRings(projectAoi(parseAoi(z.geometry), grid.crs), grid, all);
      expect(pixels(k + 1).length, z.name).toBe(m.reduce((a, v) => a + v, 0));
    }
    expect(l.zones.map((z) => z.name)).not.toContain("Baotou tailings dam");
  });

  it("makes the inner 55 % of the Main pit an existing bare core and orders the front from the core out", () => {
    const main = pixels(zoneIndex("Main pit"));
    const core = main.filter((i) => l.core[i]).length;
    expect(Math.abs(core / main.length - 0.55)).toBeLessThan(0.01);
    const fronts = main.filter((i) => !l.core[i]).map((i) => l.front[i]!);
    expect(Math.min(...fronts)).toBe(0);
    expect(Math.max(...fronts)).toBe(1);
    const pond = pixels(zoneIndex("Tailings pond"));
    expect(Math.abs(pond.filter((i) => l.core[i]).length / pond.length - 0.55)).toBeLessThan(0.02);
    expect(l.zones[zoneIndex("Tailings pond") - 1]!.coreSurface).toBe("water");
    expect(l.zones[zoneIndex("Main pit") - 1]!.surface).toBe("rock");
  });

  it("keeps base cover, illumination and restoration speed in their declared ranges; same seed, same field", () => {
    const range = (a: Float32Array) => a.reduce<[number, number]>(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
    // Each field is stretched from its own min..max to the declared range, so the ends are reached.
    const close = (got: number[], want: number[]) => {
      for (const [k, v] of got.entries()) expect(v).toBeCloseTo(want[k]!, 5);
    };
    close(range(l.base), [0.4, 0.7]);
    close(range(l.illum), [0.97, 1.03]);
    close(range(l.rateFactor), [0.8, 1.2]);
    expect(buildLandscape(site, grid, 1).base).toEqual(l.base);
    expect(buildLandscape(site, grid, 2).base).not.toEqual(l.base);
  });
});

describe("Ganzhou landscape", () => {
  it("puts turbid ponds on 5 % of Lingbei hillside A and 4 % of hillside B", async () => {
    const site = await loadSite("ganzhou");
    const l = buildLandscape(site, siteGrid(site), 1);
    for (const [name, share] of [
      ["Lingbei hillside A", 0.05],
      ["Lingbei hillside B", 0.04],
      ["Lingbei hillside C", 0],
    ] as const) {
      const k = l.zones.findIndex((z) => z.name === name) + 1;
      const px = [...l.zone.keys()].filter((i) => l.zone[i] === k);
      expect(Math.abs(px.filter((i) => l.pond[i]).length / px.length - share), name).toBeLessThan(0.005);
    }
  });
});
