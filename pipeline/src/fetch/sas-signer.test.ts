import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SasSigner } from "./sas-signer.ts";

let server: Server;
let base = "";
let issued = 0;
const EXPIRY = Date.parse("2030-01-01T01:00:00Z");

beforeAll(async () => {
  server = createServer((req, res) => {
    issued++;
    const body = req.url?.endsWith("/stale")
      ? { token: "sig=old", "msft:expiry": "2000-01-01T00:00:00Z" }
      : { token: `sv=1&sig=t${issued}`, "msft:expiry": new Date(EXPIRY).toISOString() };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/token`;
});
afterAll(() => server.close());

describe("SAS token signing", () => {
  it("appends the token, reuses it until five minutes before expiry, then renews it", async () => {
    let now = EXPIRY - 60 * 60_000;
    const s = new SasSigner(base, "landsat-c2-l2", {}, () => now);
    const before = issued;
    expect(await s.sign("https://blob.example/a/B4.TIF")).toBe(`https://blob.example/a/B4.TIF?sv=1&sig=t${before + 1}`);
    expect(await s.sign("https://blob.example/a/B5.TIF?x=1")).toBe(`https://blob.example/a/B5.TIF?x=1&sv=1&sig=t${before + 1}`);
    expect(issued).toBe(before + 1);
    now = EXPIRY - 4 * 60_000;
    await s.sign("https://blob.example/a/B4.TIF");
    expect(issued).toBe(before + 2);
    s.invalidate();
    await s.sign("https://blob.example/a/B4.TIF");
    expect(issued).toBe(before + 3);
    expect(s.fetched).toBe(3);
  });

  it("one request for many concurrent signatures", async () => {
    const s = new SasSigner(base, "c", {}, () => EXPIRY - 3_600_000);
    const before = issued;
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.sign(`https://b/x${i}.tif`)));
    expect(issued).toBe(before + 1);
  });

  it("refuses a token that has already expired", async () => {
    const s = new SasSigner(base, "stale", {}, () => EXPIRY);
    await expect(s.sign("https://b/x.tif")).rejects.toThrow(/already expired/);
  });
});
