import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAoi, projectAoi, rasterizeRings, ringsBounds } from "../aoi/aoi.ts";
import { BadParameter } from "../errors.ts";
import { gridBounds } from "../grid.ts";
import { openGeoTiff } from "../read/geotiff.ts";
import { pointInAoi, ringSelfIntersects, ringSignedArea } from "./checks.ts";
import { loadSite, mappedZones, parseSite, SITES_DIR, siteGrid } from "./site.ts";

const KEYS = ["bayan-obo", "ganzhou", "brumadinho", "baotou-tailings"] as const;
const raw = (key: string) => JSON.parse(readFileSync(join(SITES_DIR, `${key}.json`), "utf8"));

describe.each(KEYS)("site %s", (key) => {
  it("validates against the schema and the geometry checks", async () => {
    const site = await loadSite(key);
    expect(site.key).toBe(key);
    expect(site.controls.length).toBeGreaterThanOrEqual(1);
  });

  it("has closed, simple, counter-clockwise lon/lat rings, every mapped zone and control inside the AOI", async () => {
    const site = await loadSite(key);
    const aoi = parseAoi(site.aoi);
    const polys = [site.aoi, ...site.zones.map((z) => z.geometry), ...site.controls.map((c) => c.geometry)];
    for (const g of polys)
      for (const ring of (g as { coordinates: number[][][] }).coordinates) {
        expect(ring[0]).toEqual(ring.at(-1));
        expect(ringSelfIntersects(ring)).toBe(false);
        expect(ringSignedArea(ring)).toBeGreaterThan(0);
        for (const [lon, lat] of ring) {
          expect(Math.abs(lon!)).toBeLessThanOrEqual(180);
          expect(Math.abs(lat!)).toBeLessThanOrEqual(90);
        }
      }
    for (const z of [...mappedZones(site), ...site.controls])
      for (const [lon, lat] of (z.geometry as { coordinates: number[][][] }).coordinates[0]!) expect(pointInAoi(lon!, lat!, aoi), z.name).toBe(true);
  });

  it("has a grid in the AOI's UTM zone that covers the AOI", async () => {
    const site = await loadSite(key);
    const [w, s, e, n] = ringsBounds(parseAoi(site.aoi).polygons);
    // UTM zone = floor((lon + 180) / 6) + 1, north 326xx / south 327xx (by hand, not project.ts).
    const zone = Math.floor(((w + e) / 2 + 180) / 6) + 1;
    const code = (s + n) / 2 >= 0 || key === "brumadinho" ? 32600 + zone : 32700 + zone;
    expect(site.grid.crs).toBe(`EPSG:${code}`);
    const grid = siteGrid(site);
    const [x0, y0, x1, y1] = ringsBounds(projectAoi(parseAoi(site.aoi), grid.crs));
    const [gx0, gy0, gx1, gy1] = gridBounds(grid);
    expect(gx0).toBeLessThanOrEqual(x0);
    expect(gy0).toBeLessThanOrEqual(y0);
    expect(gx1).toBeGreaterThanOrEqual(x1);
    expect(gy1).toBeGreaterThanOrEqual(y1);
    // Less than a pixel of slack on each side when the grid is derived from the AOI.
    if (!site.grid.transform) for (const slack of [x0 - gx0, y0 - gy0, gx1 - x1, gy1 - y1]) expect(slack).toBeLessThan(site.grid.resolution);
  });

  it("says how every polygon was drawn, and marks the simulated sites' polygons APPROXIMATE", async () => {
    const site = await loadSite(key);
    expect(Array.isArray(site.sources)).toBe(true);
    const sources = site.sources as { polygon: string; approximate: boolean; method: string }[];
    for (const name of ["AOI", "grid", ...site.zones.map((z) => z.name), ...site.controls.map((c) => c.name)])
      expect(
        sources.some((s) => s.polygon === name),
        name,
      ).toBe(true);
    for (const s of sources.filter((s) => s.polygon !== "grid"))
      if (site.simulated || s.approximate) {
        expect(s.approximate, s.polygon).toBe(true);
        expect(s.method).toMatch(/^APPROXIMATE/);
      }
  });

  it("lists claims that exist in samples/claims and name this site", async () => {
    const site = await loadSite(key);
    for (const id of site.claims) {
      const path = join(SITES_DIR, "..", "claims", `${id}.json`);
      expect(existsSync(path), path).toBe(true);
      expect(JSON.parse(readFileSync(path, "utf8")).site).toBe(key);
    }
  });

  it("keeps controls clear of every zone (no shared pixel on the site grid)", async () => {
    const site = await loadSite(key);
    const grid = siteGrid(site);
    const all = { x: 0, y: 0, width: grid.width, height: grid.height };
    const mask = (g: unknown) => rasterizeRings(projectAoi(parseAoi(g), grid.crs), grid, all);
    for (const c of site.controls) {
      const cm = mask(c.geometry);
      expect(
        cm.reduce((a, v) => a + v, 0),
        c.name,
      ).toBeGreaterThan(100);
      for (const z of mappedZones(site)) {
        const zm = mask(z.geometry);
        expect(
          cm.some((v, i) => v && zm[i]),
          `${c.name} x ${z.name}`,
        ).toBe(false);
      }
    }
  });
});

describe("site choices", () => {
  it("puts Brumadinho on the real 30 m grid of the 2019-01-14 Landsat clip", async () => {
    const site = await loadSite("brumadinho");
    const tif = await openGeoTiff(join(SITES_DIR, "..", "landsat8-brumadinho", "georef", "LC08_L2SP_218074_20190114_20200829_02_T1_stack.tif"));
    await tif.close();
    expect(siteGrid(site)).toEqual(tif.grid);
    expect(siteGrid(site).transform).toEqual([30, 0, 583485, 0, -30, -2222685]);
  });

  it("maps the Baotou tailings dam in its own small site, on the same circle", async () => {
    const mine = (await loadSite("bayan-obo")).zones.find((z) => z.name === "Baotou tailings dam")!;
    const dam = (await loadSite("baotou-tailings")).zones.find((z) => z.name === "Tailings dam")!;
    expect(dam.geometry).toEqual(mine.geometry);
    expect(dam.outsideAoi).toBeUndefined();
    const g = siteGrid(await loadSite("baotou-tailings"));
    expect(g.width * g.height).toBeLessThan(100_000);
  });

  it("keeps the simulated grids modest: about 10 x 8 km at 20 m", async () => {
    for (const key of ["bayan-obo", "ganzhou"]) {
      const g = siteGrid(await loadSite(key));
      expect(g.transform[0]).toBe(20);
      expect(g.width * g.height).toBeLessThan(260_000);
      expect(g.width * g.height).toBeGreaterThan(150_000);
    }
  });

  it("lists the Baotou tailings dam outside the Bayan Obo AOI, about 10 km2 around 40.638 N 109.688 E", async () => {
    const site = await loadSite("bayan-obo");
    const dam = site.zones.find((z) => z.name === "Baotou tailings dam")!;
    expect(dam.outsideAoi).toBe(true);
    const ring = (dam.geometry as { coordinates: number[][][] }).coordinates[0]!;
    const lon = ring.slice(0, -1).reduce((a, p) => a + p[0]!, 0) / (ring.length - 1);
    const lat = ring.slice(0, -1).reduce((a, p) => a + p[1]!, 0) / (ring.length - 1);
    expect(lon).toBeCloseTo(109.688, 3);
    expect(lat).toBeCloseTo(40.638, 3);
    const [utm] = projectAoi(parseAoi(dam.geometry), "EPSG:32649");
    const km2 = Math.abs(ringSignedArea(utm![0]!)) / 1e6;
    expect(km2).toBeGreaterThan(9.5);
    expect(km2).toBeLessThan(11.5);
    expect(pointInAoi(lon, lat, parseAoi(site.aoi))).toBe(false);
  });

  it("plants a mix of outcomes so some claims come out supported and some not", async () => {
    for (const key of ["bayan-obo", "ganzhou"]) {
      const outcomes = new Set((await loadSite(key)).zones.map((z) => z.simulation?.outcome).filter(Boolean));
      for (const o of ["complete", "partial", "failed"]) expect(outcomes.has(o as "complete"), `${key} ${o}`).toBe(true);
    }
  });
});

describe("bad site files", () => {
  const base = () => raw("ganzhou");
  const fails = (json: unknown, pattern: RegExp) => {
    let err: unknown;
    try {
      parseSite(json, "x.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadParameter);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toMatch(/\n/);
  };

  it("names the missing field", () => {
    const j = base();
    delete j.season;
    fails(j, /^x\.json: season: /);
  });

  it("refuses a zone poking out of the AOI unless it is flagged outsideAoi", () => {
    const j = base();
    j.zones[0].geometry.coordinates[0][1] = [115.2, 24.9];
    fails(j, /zone "Lingbei hillside A" has a vertex \[115\.2, 24\.9\] outside the AOI/);
  });

  it("refuses an open ring, a crossing ring and a projected coordinate", () => {
    const open = base();
    open.controls[0].geometry.coordinates[0].pop();
    fails(open, /not closed/);
    const bowtie = base();
    bowtie.controls[0].geometry.coordinates = [
      [
        [114.905, 24.915],
        [114.918, 24.927],
        [114.918, 24.915],
        [114.905, 24.927],
        [114.905, 24.915],
      ],
    ];
    fails(bowtie, /Forest control north.*crosses itself/);
    const utm = base();
    utm.aoi.coordinates[0][0] = [290000, 2750000];
    fails(utm, /outside lon\/lat range/);
  });

  it("refuses an override naming an unknown zone, a restoration without its start, and a grid that misses the AOI", () => {
    const o = base();
    o.maskOverrides[0].zones.push("Nowhere");
    fails(o, /mask override "turbid leaching ponds" names zone "Nowhere"/);
    const r = base();
    delete r.zones[0].simulation.restorationStart;
    fails(r, /zone "Lingbei hillside A" simulation: restoration needs restorationStart and rate/);
    const g = base();
    g.grid = { crs: "EPSG:32650", resolution: 20, transform: [20, 0, 0, 0, -20, 0], width: 10, height: 10 };
    fails(g, /does not cover the AOI/);
  });
});
