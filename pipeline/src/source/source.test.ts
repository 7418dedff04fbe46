import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openGeoTiff } from "../read/geotiff.ts";
import { HttpSource } from "./http.ts";
import { MemorySource } from "./memory.ts";

const FILE = "samples/sentinel2-l2a-29RKH-100m/B04.tif";
const bytes = readFileSync(FILE);
let server: Server;
let url = "";
let rangeRequests = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
    if (req.method === "HEAD") {
      res.writeHead(200, { "content-length": bytes.byteLength }).end();
      return;
    }
    if (!m) {
      res.writeHead(200, { "content-length": bytes.byteLength }).end(bytes);
      return;
    }
    rangeRequests++;
    const [a, b] = [Number(m[1]), Math.min(Number(m[2]), bytes.byteLength - 1)];
    res.writeHead(206, { "content-range": `bytes ${a}-${b}/${bytes.byteLength}`, "content-length": b - a + 1 }).end(bytes.subarray(a, b + 1));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/B04.tif`;
});
afterAll(() => server.close());

describe("byte sources", () => {
  it("read the same window from a file, memory and HTTP ranges on loopback", async () => {
    const win = { x: 500, y: 600, width: 7, height: 5 };
    const fromFile = await openGeoTiff(FILE);
    const fromMem = await openGeoTiff(new MemorySource(new Uint8Array(bytes), "memory:B04"));
    const fromHttp = await openGeoTiff(new HttpSource(url));
    const [a] = await fromFile.read(win);
    const [b] = await fromMem.read(win);
    const [c] = await fromHttp.read(win);
    expect(Array.from(b!)).toEqual(Array.from(a!));
    expect(Array.from(c!)).toEqual(Array.from(a!));
    expect(fromHttp.grid).toEqual(fromFile.grid);
    expect(rangeRequests).toBeGreaterThan(0);
    // Only the IFDs and the touched tile were fetched, not the whole 2.4 MB file.
    await Promise.all([fromFile.close(), fromMem.close(), fromHttp.close()]);
  });

  it("clips reads at the end of a memory source", async () => {
    const m = new MemorySource(new Uint8Array([1, 2, 3]));
    expect(Array.from(await m.fetch(1, 10))).toEqual([2, 3]);
    expect(await m.size()).toBe(3);
  });

  it("fails a read when the server cannot be reached", async () => {
    const bad = new HttpSource("http://127.0.0.1:1/nothing.tif", 2000);
    await expect(bad.fetch(0, 10)).rejects.toThrow();
  });
});
