/** `reewatch serve` over a real (small) demo run: tiles, TileJSON, APIs, and bad requests. */

import { rmSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import { dirname, join } from "node:path";
import { interpolateRdYlGn } from "d3-scale-chromatic";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lonLatToMercator, mercatorToLonLat, tileBounds, tileOf } from "../tiles/src/mercator.ts";
import { startServer } from "../tiles/src/server.ts";
import { makeDemo } from "./helpers/demo-fixture.ts";
import { gdalinfoJson, hasGdal } from "./helpers/gdal.ts";
import { center, control, innerBox, zone } from "./helpers/site-places.ts";

let url: string;
let server: Server;
let demo: string;
beforeAll(async () => {
  demo = await makeDemo();
  ({ server, url } = await startServer({ dir: demo, port: 0 }));
}, 300_000);
afterAll(() => {
  server?.close();
  rmSync(dirname(demo), { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);

async function decode(res: Response) {
  const { data, info } = await sharp(Buffer.from(await res.arrayBuffer()))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info };
}

/** Pixel (col, row) inside tile (z, x, y) of a lon/lat. */
function pixelInTile(lon: number, lat: number, z: number): { x: number; y: number; col: number; row: number } {
  const [x, y] = tileOf(lon, lat, z);
  const [mx, my] = lonLatToMercator(lon, lat);
  const [x0, , x1, y1] = tileBounds(z, x, y);
  return {
    x,
    y,
    col: Math.floor(((mx - x0) / (x1 - x0)) * 256),
    row: Math.floor(((y1 - my) / (x1 - x0)) * 256),
  };
}

describe("tiles", () => {
  it("lists the three sites, two of them SIMULATED", async () => {
    const r = await (await get("/api/sites")).json();
    expect(r.sites.map((s: { key: string }) => s.key)).toEqual(["bayan-obo", "brumadinho", "ganzhou"]);
    expect(r.sites.map((s: { simulated: boolean }) => s.simulated)).toEqual([true, false, true]);
  });

  it("renders a 256x256 PNG whose colour at a control zone is the 'stable' class colour (#bdbdbd)", async () => {
    // Ganzhou's first control zone (undisturbed forest) is never disturbed -> class 1.
    const p = pixelInTile(...center(control("ganzhou").geometry), 14);
    const res = await get(`/tiles/ganzhou/classes/2024/14/${p.x}/${p.y}.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const { data, info } = await decode(res);
    expect([info.width, info.height]).toEqual([256, 256]);
    const k = (p.row * 256 + p.col) * 4;
    expect(Array.from(data.subarray(k, k + 4))).toEqual([0xbd, 0xbd, 0xbd, 255]);
  });

  it("colours an NDVI pixel as d3-scale-chromatic's RdYlGn does at the pixel's level", async () => {
    // The centre of the tile pixel we read, so that the point API samples the same data pixel.
    const p = pixelInTile(...center(control("ganzhou").geometry), 15);
    const [x0, , x1, y1] = tileBounds(15, p.x, p.y);
    const size = (x1 - x0) / 256;
    const [lon, lat] = mercatorToLonLat(x0 + (p.col + 0.5) * size, y1 - (p.row + 0.5) * size);
    const series = (await (await get(`/api/ganzhou/point?lon=${lon}&lat=${lat}&product=ndvi`)).json()).series;
    const v = series.find((s: { date: string }) => s.date === "2020").value;
    // ndvi colour map: range [-0.2, 0.9], d3's RdYlGn scheme (the reference) at the nearest of 256 levels.
    const css = interpolateRdYlGn(Math.round((255 * (v + 0.2)) / 1.1) / 255);
    const rgb = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(css)!.slice(1).map(Number);
    const { data } = await decode(await get(`/tiles/ganzhou/ndvi/2020/15/${p.x}/${p.y}.png`));
    const k = (p.row * 256 + p.col) * 4;
    expect(Array.from(data.subarray(k, k + 3))).toEqual(rgb);
  });

  it("serves WebP too, and a fully transparent tile away from the data", async () => {
    const p = pixelInTile(...center(control("ganzhou").geometry), 13);
    const webp = await get(`/tiles/ganzhou/ndvi/2020/13/${p.x}/${p.y}.webp`);
    expect(webp.headers.get("content-type")).toBe("image/webp");
    expect((await decode(webp)).info.width).toBe(256);
    const { data } = await decode(await get("/tiles/ganzhou/ndvi/2020/13/0/0.png"));
    expect(data.every((v, i) => i % 4 !== 3 || v === 0)).toBe(true);
  });

  it("describes a layer with TileJSON 3.0.0", async () => {
    const tj = await (await get("/tiles/ganzhou/ndvi/2020/tilejson.json")).json();
    expect(tj.tilejson).toBe("3.0.0");
    expect(tj.tiles[0]).toMatch(/\/tiles\/ganzhou\/ndvi\/2020\/\{z\}\/\{x\}\/\{y\}\.png$/);
    expect(tj.name).toMatch(/^SIMULATED/);
    expect(tj.bounds).toHaveLength(4);
  });

  it.skipIf(!hasGdal)("derives TileJSON zooms from the data's resolution, by the Web Mercator formula", async () => {
    const site = (await (await get("/api/sites")).json()).sites.find((q: { key: string }) => q.key === "ganzhou");
    const grid = gdalinfoJson(join(demo, "ganzhou", "composites", "2020", "ndvi.tif")).geoTransform as number[];
    const lat = site.center[1];
    // Ground size of a 256-px tile pixel at zoom z: 2 pi 6378137 cos(lat) / 256 / 2^z; maxzoom = the first z at or below the data's pixel.
    const pixelAt = (z: number, tile: number) => (2 * Math.PI * 6378137 * Math.cos((lat * Math.PI) / 180)) / tile / 2 ** z;
    const want = (tile: number) => {
      let z = 0;
      while (pixelAt(z, tile) > grid[1]!) z++;
      return z;
    };
    const tj = await (await get("/tiles/ganzhou/ndvi/2020/tilejson.json")).json();
    expect(tj.maxzoom).toBe(want(256));
    expect(tj.minzoom).toBeLessThan(tj.maxzoom);
    const tj2 = await (await get("/tiles/ganzhou/ndvi/2020/tilejson.json?tile_scale=2&rescale=0,0.8&colormap_name=viridis")).json();
    expect(tj2.maxzoom).toBe(want(512));
    expect(tj2.tileSize).toBe(512);
    expect(tj2.tiles[0]).toMatch(/\/\{z\}\/\{x\}\/\{y\}@2x\.png\?rescale=0%2C0\.8&colormap_name=viridis$/);
    expect((await get("/tiles/ganzhou/ndvi/2020/tilejson.json?tile_scale=3")).status).toBe(400);
  });

  it("serves @2x tiles: the 512-px tile at z is the four 256-px tiles of z+1", async () => {
    const p = pixelInTile(...center(control("ganzhou").geometry), 13);
    const big = await decode(await get(`/tiles/ganzhou/ndvi/2020/13/${p.x}/${p.y}@2x.png`));
    expect([big.info.width, big.info.height]).toEqual([512, 512]);
    let same = 0;
    for (const [dx, dy] of <[number, number][]>[
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      const small = await decode(await get(`/tiles/ganzhou/ndvi/2020/14/${2 * p.x + dx}/${2 * p.y + dy}.png`));
      for (let r = 0; r < 256; r++)
        for (let c = 0; c < 256; c++) {
          const k = (r * 256 + c) * 4;
          const K = ((dy! * 256 + r) * 512 + dx! * 256 + c) * 4;
          if ([0, 1, 2, 3].every((q) => small.data[k + q] === big.data[K + q])) same++;
        }
    }
    // The tiles sample the same pixel centres; the reprojection lattice differs, which may move a nearest-pixel pick on an edge.
    expect(same / (512 * 512)).toBeGreaterThan(0.99);
  });

  it("takes TiTiler's rescale and colormap_name beside range and colormap", async () => {
    const p = pixelInTile(...center(control("ganzhou").geometry), 13);
    const path = `/tiles/ganzhou/ndvi/2020/13/${p.x}/${p.y}.png`;
    const ours = Buffer.from(await (await get(`${path}?range=0,0.8&colormap=viridis`)).arrayBuffer());
    const titiler = Buffer.from(await (await get(`${path}?rescale=0,0.8&colormap_name=viridis`)).arrayBuffer());
    expect(titiler.equals(ours)).toBe(true);
    expect(titiler.equals(Buffer.from(await (await get(path)).arrayBuffer()))).toBe(false);
  });
});

describe("what browsers and tools expect of HTTP", () => {
  const cog = "/stac/ganzhou/composites/2020/ndvi.tif";
  const foreign = { origin: "http://elsewhere.example" };

  it("answers CORS on every read route, COGs and STAC included, and a cross-origin zonal POST's preflight", async () => {
    for (const path of [cog, "/stac/ganzhou/catalog.json", "/api/sites", "/tiles/ganzhou/ndvi/2020/tilejson.json"]) {
      const r = await get(path, { headers: foreign });
      expect([path, r.status, r.headers.get("access-control-allow-origin")]).toEqual([path, 200, "*"]);
    }
    const pre = await get("/api/ganzhou/zonal?product=ndvi", {
      method: "OPTIONS",
      headers: { ...foreign, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toContain("content-type");
    const ranged = await get(cog, { headers: { ...foreign, range: "bytes=0-3" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("access-control-expose-headers")).toContain("content-range");
  });

  it("revalidates: ETag and Last-Modified on files, ETag on tiles and JSON, 304 when they match", async () => {
    const first = await get(cog);
    const tag = first.headers.get("etag")!;
    const modified = first.headers.get("last-modified")!;
    expect(tag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(modified).getTime()).toBeGreaterThan(0);
    expect((await get(cog, { headers: { "if-none-match": tag } })).status).toBe(304);
    expect((await get(cog, { headers: { "if-modified-since": modified } })).status).toBe(304);
    expect((await get(cog, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
    const p = pixelInTile(...center(control("ganzhou").geometry), 13);
    for (const path of [`/tiles/ganzhou/ndvi/2020/13/${p.x}/${p.y}.png`, "/api/sites"]) {
      const t = (await get(path)).headers.get("etag")!;
      expect(t, path).toBeTruthy();
      const again = await get(path, { headers: { "if-none-match": t } });
      expect([path, again.status, (await again.arrayBuffer()).byteLength]).toEqual([path, 304, 0]);
    }
  });

  it("answers HEAD like GET, without the body", async () => {
    const p = pixelInTile(...center(control("ganzhou").geometry), 13);
    for (const path of [cog, `/tiles/ganzhou/ndvi/2020/13/${p.x}/${p.y}.png`, "/api/sites"]) {
      const g = await get(path);
      const body = await g.arrayBuffer();
      const h = await get(path, { method: "HEAD" });
      expect([path, h.status, h.headers.get("content-type"), h.headers.get("content-length")]).toEqual([
        path,
        200,
        g.headers.get("content-type"),
        String(body.byteLength),
      ]);
      expect((await h.arrayBuffer()).byteLength).toBe(0);
    }
  });
});

describe("APIs", () => {
  it("returns one value per year at a point", async () => {
    const [lon, lat] = center(zone("ganzhou").geometry);
    const r = await (await get(`/api/ganzhou/point?lon=${lon}&lat=${lat}&product=nbr`)).json();
    expect(r.series.map((s: { date: string }) => s.date)).toEqual(["2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024"]);
    expect(r.series.filter((s: { value: number | null }) => s.value !== null).length).toBeGreaterThan(6);
    // Each year's raw observations: one per scene of the year's observation item, in its order.
    const item = await (await get("/stac/ganzhou/observations/2020/2020.json")).json();
    const obs = r.series.find((s: { date: string }) => s.date === "2020").observations;
    expect(obs.map((o: { date: string }) => o.date)).toEqual(item.properties["reewatch:scenes"].map((s: { datetime: string }) => s.datetime));
    expect(obs.some((o: { value: number | null }) => o.value !== null)).toBe(true);
  });

  it("computes zonal statistics of a posted polygon and the control", async () => {
    const ring = innerBox(zone("ganzhou").geometry, 0.5);
    const poly = { type: "Polygon", coordinates: [ring] };
    const r = await (await get("/api/ganzhou/zonal?product=ndvi", { method: "POST", body: JSON.stringify(poly) })).json();
    expect(r.series).toHaveLength(9);
    expect(r.control).toHaveLength(9);
    // Area by hand: a degree of longitude is 111.32 km * cos(lat), a degree of latitude ~110.6 km near 25 N.
    const [[w, s], , [e, n]] = [ring[0]!, ring[1]!, ring[2]!];
    const km2 = (e - w) * 111.32 * Math.cos((((s + n) / 2) * Math.PI) / 180) * (n - s) * 110.6;
    expect(r.areaKm2).toBeGreaterThan(km2 * 0.9);
    expect(r.areaKm2).toBeLessThan(km2 * 1.1);
  });

  it("lists claims with verdicts and serves their reports", async () => {
    const claims = await (await get("/api/ganzhou/claims")).json();
    expect(claims.length).toBeGreaterThanOrEqual(3);
    const page = await get(claims[0].report);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("SIMULATED DATA");
  });

  it("serves COGs from the run's STAC with HTTP ranges", async () => {
    const r = await get("/stac/ganzhou/composites/2020/ndvi.tif", { headers: { range: "bytes=0-7" } });
    expect(r.status).toBe(206);
    expect(
      Buffer.from(await r.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("II");
  });
});

describe("bad requests get a 4xx with a one-line reason", () => {
  const cases: [string, string, RequestInit | undefined, number][] = [
    ["path traversal (encoded)", "/stac/ganzhou/..%2F..%2Fetc%2Fpasswd", undefined, 400],
    ["x out of range for z", "/tiles/ganzhou/ndvi/2020/3/9/1.png", undefined, 400],
    ["non-numeric z", "/tiles/ganzhou/ndvi/2020/a/1/1.png", undefined, 400],
    ["zoom too deep", "/tiles/ganzhou/ndvi/2020/25/0/0.png", undefined, 400],
    ["unknown colormap", "/tiles/ganzhou/ndvi/2020/10/0/0.png?colormap=nope", undefined, 400],
    ["inverted range", "/tiles/ganzhou/ndvi/2020/10/0/0.png?range=1,0", undefined, 400],
    ["unknown product", "/tiles/ganzhou/gold/2020/10/0/0.png", undefined, 404],
    ["unknown site", "/api/atlantis/claims", undefined, 404],
    ["malformed GeoJSON", "/api/ganzhou/zonal", { method: "POST", body: '{"type":"Point","coordinates":[1,2]}' }, 400],
    ["not JSON", "/api/ganzhou/zonal", { method: "POST", body: "{nope" }, 400],
    ["oversized body", "/api/ganzhou/zonal", { method: "POST", body: "x".repeat(2 * 1024 * 1024) }, 413],
    ["wrong method", "/api/sites", { method: "PUT", body: "x" }, 405],
    ["bad point", "/api/ganzhou/point?lon=500&lat=0", undefined, 400],
  ];
  for (const [name, path, init, status] of cases)
    it(name, async () => {
      const r = await get(path, init);
      expect(r.status).toBe(status);
      const body = await r.json();
      expect(typeof body.error).toBe("string");
      expect(body.error).not.toContain("\n");
    });

  it("refuses raw dot-segment traversal that a browser would have normalised", async () => {
    for (const path of ["/stac/ganzhou/%2e%2e/%2e%2e/etc/passwd", "/stac/ganzhou/../../etc/passwd", "/reports/ganzhou/..%5c..%5cetc/passwd"]) {
      const status = await new Promise<number>((ok, fail) => {
        const { hostname, port } = new URL(url);
        const req = httpRequest({ hostname, port, path, method: "GET" }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        req.on("error", fail);
        req.end();
      });
      expect(status, path).toBe(400);
    }
  });

  it("survives a bounded burst of 200 mixed requests (8 at a time) without a 5xx", async () => {
    const paths = [
      "/api/sites",
      "/tiles/ganzhou/ndvi/2020/12/3357/1759.png",
      "/tiles/x/y/z/1/1/1.png",
      "/stac/ganzhou/%2e%2e/x",
      "/api/ganzhou/point?lon=115.05&lat=24.9",
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 200; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: 8 }, (_, k) =>
          get(paths[(i + k) % paths.length]!).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      statuses.push(...batch);
    }
    expect(statuses).toHaveLength(200);
    expect(statuses.every((s) => s < 500)).toBe(true);
    expect((await get("/api/sites")).status).toBe(200);
  });
});
