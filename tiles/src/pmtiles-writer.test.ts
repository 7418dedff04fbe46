/**
 * The PMTiles writer against the official reader (the `pmtiles` package that MapLibre's protocol
 * uses): every tile comes back with its bytes, through leaf directories when the root would pass
 * 16 KiB, and duplicates are stored once.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PMTiles, type Source } from "pmtiles";
import { afterAll, describe, expect, it } from "vitest";
import { type PmArchiveInfo, type PmTile, writePmtiles } from "./pmtiles-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-pmtiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INFO: PmArchiveInfo = { bounds: [114.9, 24.86, 115, 24.93], center: [114.95, 24.895, 12], tileType: "png", metadata: { name: "test" } };

/** A reader over a local file, as FetchSource is over HTTP ranges. */
function fileSource(path: string): Source {
  const bytes = readFileSync(path);
  return {
    getKey: () => path,
    getBytes: async (offset: number, length: number) => ({ data: bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + length) }),
  };
}

/** Deterministic pseudo-random bytes (a linear congruential sequence), so tiles differ and directories do not compress away. */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = s >> 16;
  }
  return out;
}

describe("writePmtiles", () => {
  it("stores a small pyramid that the official reader opens, with header fields from the input", async () => {
    const tiles: PmTile[] = [
      { z: 0, x: 0, y: 0, data: bytes(1, 40) },
      { z: 1, x: 1, y: 0, data: bytes(2, 50) },
      { z: 2, x: 3, y: 1, data: bytes(3, 60) },
    ];
    const path = join(dir, "small.pmtiles");
    await writePmtiles(path, tiles, INFO);
    const raw = readFileSync(path);
    expect(raw.subarray(0, 7).toString("ascii")).toBe("PMTiles");
    expect(raw[7]).toBe(3);
    const p = new PMTiles(fileSource(path));
    const h = await p.getHeader();
    expect([h.minZoom, h.maxZoom, h.numAddressedTiles, h.numTileContents, h.tileType, h.clustered]).toEqual([0, 2, 3, 3, 2, true]);
    expect([h.minLon, h.minLat, h.maxLon, h.maxLat]).toEqual(INFO.bounds);
    expect([h.centerLon, h.centerLat, h.centerZoom]).toEqual([114.95, 24.895, 2]);
    expect(await p.getMetadata()).toEqual({ name: "test" });
    for (const t of tiles) expect(new Uint8Array((await p.getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
    expect(await p.getZxy(2, 0, 0)).toBeUndefined();
  });

  it("splits a large directory into leaves and still finds every tile", async () => {
    // 2 of every 3 tiles of zooms 0-8 (about 58,000), each of its own length: a root of this many
    // entries is far over 16 KiB, so the writer must use leaf directories.
    const tiles: PmTile[] = [];
    for (let z = 0; z <= 8; z++)
      for (let x = 0; x < 2 ** z; x++)
        for (let y = 0; y < 2 ** z; y++) if ((x * 7 + y * 3 + z) % 3) tiles.push({ z, x, y, data: bytes(tiles.length, 1 + (tiles.length % 97)) });
    const path = join(dir, "large.pmtiles");
    await writePmtiles(path, tiles, INFO);
    const p = new PMTiles(fileSource(path));
    const h = await p.getHeader();
    expect(h.leafDirectoryLength).toBeGreaterThan(0);
    expect(h.rootDirectoryOffset + h.rootDirectoryLength).toBeLessThanOrEqual(16384);
    expect(h.numAddressedTiles).toBe(tiles.length);
    for (let i = 0; i < tiles.length; i += 97) {
      const t = tiles[i]!;
      expect(new Uint8Array((await p.getZxy(t.z, t.x, t.y))!.data), `${t.z}/${t.x}/${t.y}`).toEqual(t.data);
    }
  });

  it("stores identical tiles once and merges runs of equal neighbours", async () => {
    // Zoom 1's four tiles have consecutive Hilbert ids 1-4; all carry the same bytes.
    const same = bytes(9, 30);
    const tiles: PmTile[] = [0, 1].flatMap((x) => [0, 1].map((y) => ({ z: 1, x, y, data: same })));
    tiles.push({ z: 0, x: 0, y: 0, data: bytes(10, 30) });
    const path = join(dir, "dedupe.pmtiles");
    await writePmtiles(path, tiles, INFO);
    const h = await new PMTiles(fileSource(path)).getHeader();
    expect([h.numAddressedTiles, h.numTileEntries, h.numTileContents, h.tileDataLength]).toEqual([5, 2, 2, 60]);
    for (const t of tiles) expect(new Uint8Array((await new PMTiles(fileSource(path)).getZxy(t.z, t.x, t.y))!.data)).toEqual(t.data);
  });

  it("refuses an empty archive with the path in the message", async () => {
    await expect(writePmtiles(join(dir, "empty.pmtiles"), [], INFO)).rejects.toThrow(/empty\.pmtiles: no tiles/);
  });
});
