/**
 * Blocks in the cache are un-predicted row by row as windows need them (tiff-block.ts LazyBlock):
 * windows that take a block's rows in pieces, out of order and overlapping, must read exactly the
 * values written, for the floating-point predictor (3) and the horizontal one (2).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeCog } from "../write/cog.ts";
import { openGeoTiff } from "./geotiff.ts";
import { BlockCache } from "./tiff.ts";

const dir = mkdtempSync(join(tmpdir(), "reewatch-lazy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const grid = { crs: "EPSG:32650", transform: [10, 0, 500000, 0, -10, 2800000] as const, width: 40, height: 37 };
const windows = [
  { x: 3, y: 20, width: 10, height: 4 },
  { x: 0, y: 0, width: 40, height: 5 },
  { x: 17, y: 2, width: 20, height: 30 },
  { x: 0, y: 0, width: 40, height: 37 },
];

describe("cached blocks un-predicted row by row", () => {
  for (const [name, values] of [
    ["float32, predictor 3", Float32Array.from({ length: 40 * 37 }, (_, i) => Math.sin(i / 7) * 1000 + i / 3)],
    ["int16, predictor 2", Int16Array.from({ length: 40 * 37 }, (_, i) => ((i * 7919) % 65536) - 32768)],
  ] as const) {
    it(`${name}: windows over parts of 16 x 16 blocks read the values written`, async () => {
      const path = join(dir, `${name.split(",")[0]}.tif`);
      await writeCog(path, grid, [values], { tileSize: 16 });
      const t = await openGeoTiff(path);
      t.file.blockCache = new BlockCache(1 << 20);
      try {
        for (const win of windows) {
          const [got] = await t.read(win, [0]);
          const want = Array.from({ length: win.width * win.height }, (_, k) => values[(win.y + Math.floor(k / win.width)) * 40 + win.x + (k % win.width)]);
          expect(Array.from(got!)).toEqual(want);
        }
      } finally {
        await t.close();
      }
    });
  }
});
