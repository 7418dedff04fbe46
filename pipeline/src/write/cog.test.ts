/** The COG writer on its own (no GDAL): determinism, BigTIFF, geotiff.js read-back, errors, temporary files. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromFile } from "geotiff";
import { afterAll, describe, expect, it } from "vitest";
import { ReewatchError } from "../errors.ts";
import type { Grid } from "../raster.ts";
import { CogWriter, writeCog } from "./cog.ts";

const root = mkdtempSync(join(tmpdir(), "reewatch-cog-unit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};

const grid: Grid = { crs: "EPSG:32649", transform: [10, 0, 500000, 0, -10, 4600000], width: 70, height: 45 };
const ramp = () => Float32Array.from({ length: grid.width * grid.height }, (_, i) => (i % 13 === 0 ? Number.NaN : i / 7));

async function readBack(path: string) {
  const tiff = await fromFile(path);
  try {
    const count = await tiff.getImageCount();
    const images = await Promise.all(Array.from({ length: count }, (_, i) => tiff.getImage(i)));
    const [data] = (await images[0]!.readRasters()) as unknown as Float32Array[];
    return { count, images, data: data! };
  } finally {
    await tiff.close();
  }
}

describe("CogWriter output", () => {
  it("is byte-identical on a rerun (no timestamps, no random bytes)", async () => {
    const d = freshDir();
    await writeCog(join(d, "a.tif"), grid, [ramp()], { tileSize: 16, metadata: { SIMULATED: "true" } });
    await writeCog(join(d, "b.tif"), grid, [ramp()], { tileSize: 16, metadata: { SIMULATED: "true" } });
    expect(readFileSync(join(d, "a.tif")).equals(readFileSync(join(d, "b.tif")))).toBe(true);
  });

  it("streams in strips of any height and geotiff.js reads the pixels and the overview IFDs back", async () => {
    const d = freshDir();
    const src = ramp();
    const w = await CogWriter.create(join(d, "s.tif"), grid, "float32", 1, { tileSize: 16 });
    for (const [y0, h] of [
      [0, 7],
      [7, 30],
      [37, 8],
    ] as const)
      await w.writeRows(y0, [src.subarray(y0 * grid.width, (y0 + h) * grid.width)]);
    await w.finish();
    const { count, images, data } = await readBack(join(d, "s.tif"));
    expect(count).toBe(4); // 70x45 -> 35x23 -> 18x12 -> 9x6 (fits one 16-pixel tile)
    expect(images.map((im) => [im.getWidth(), im.getHeight(), im.fileDirectory.getValue("NewSubfileType")])).toEqual([
      [70, 45, 0],
      [35, 23, 1],
      [18, 12, 1],
      [9, 6, 1],
    ]);
    expect(images[0]!.getTileWidth()).toBe(16);
    for (let i = 0; i < src.length; i++) expect(Object.is(data[i], src[i]) || (Number.isNaN(data[i]) && Number.isNaN(src[i]))).toBe(true);
    expect(readdirSync(d)).toEqual(["s.tif"]);
  });

  it("writes BigTIFF when forced (header 43, 8-byte offsets) and classic TIFF by default", async () => {
    const d = freshDir();
    await writeCog(join(d, "big.tif"), grid, [ramp()], { tileSize: 16, bigtiff: "yes" });
    await writeCog(join(d, "classic.tif"), grid, [ramp()], { tileSize: 16 });
    expect(readFileSync(join(d, "big.tif")).readUInt16LE(2)).toBe(43);
    expect(readFileSync(join(d, "classic.tif")).readUInt16LE(2)).toBe(42);
    const { data } = await readBack(join(d, "big.tif"));
    expect(data[71]).toBe(Math.fround(71 / 7));
  });

  it("puts its spill files in tmpDir while writing and removes them on finish", async () => {
    const d = freshDir();
    const tmp = freshDir();
    const w = await CogWriter.create(join(d, "t.tif"), grid, "float32", 1, { tileSize: 16, tmpDir: tmp });
    await w.writeRows(0, [ramp().subarray(0, 20 * grid.width)]);
    expect(readdirSync(tmp).length).toBe(5); // one spill per level and the raw tile rows
    expect(readdirSync(d)).toEqual([]);
    await w.writeRows(20, [ramp().subarray(20 * grid.width)]);
    await w.finish();
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(d)).toEqual(["t.tif"]);
  });
});

describe("CogWriter errors: one line, nothing left behind", () => {
  const oneLine = async (p: Promise<unknown>, re: RegExp) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ReewatchError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toContain("\n");
  };

  it("rejects bad rows and keeps the writer usable; abort removes every temporary file", async () => {
    const d = freshDir();
    const f = join(d, "bad.tif");
    const w = await CogWriter.create(f, grid, "int16", 2);
    const row = new Int16Array(grid.width);
    await oneLine(w.writeRows(3, [row, row]), /bad\.tif: rows must arrive in order \(expected row 0, got 3\)/);
    await oneLine(w.writeRows(0, [row]), /bad\.tif: expected 2 band\(s\), got 1/);
    await oneLine(
      w.writeRows(0, [row, new Int16Array(grid.width * 2)]),
      /bad\.tif: band arrays must all hold the same whole number of 70-pixel rows \(got lengths 70, 140\)/,
    );
    await oneLine(w.writeRows(0, [new Int16Array(5), new Int16Array(5)]), /whole number of 70-pixel rows/);
    await w.writeRows(0, [row, row]);
    await oneLine(w.finish(), /bad\.tif: only 1 of 45 rows were written/);
    expect(readdirSync(d).length).toBe(2); // one spill file per level and the raw tile rows while open
    await w.abort();
    await w.abort();
    expect(readdirSync(d)).toEqual([]);
    await oneLine(w.writeRows(1, [row, row]), /bad\.tif: writer already finished or aborted/);
  });

  it("names a missing directory, a file where a directory should be, and bad parameters", async () => {
    const d = freshDir();
    writeFileSync(join(d, "plain"), "x");
    await oneLine(CogWriter.create(join(d, "nope", "x.tif"), grid, "uint8", 1), /x\.tif: cannot write: directory .*nope does not exist \(ENOENT\)/);
    await oneLine(CogWriter.create(join(d, "plain", "x.tif"), grid, "uint8", 1), /x\.tif: cannot write: .*plain is not a directory \(ENOTDIR\)/);
    await oneLine(CogWriter.create(join(d, "x.tif"), grid, "uint8", 1, { tileSize: 100 }), /x\.tif: tileSize 100 is not a multiple of 16/);
    await oneLine(CogWriter.create(join(d, "x.tif"), grid, "uint8", 1, { nodata: 300 }), /x\.tif: nodata 300 does not fit uint8/);
    await oneLine(CogWriter.create(join(d, "x.tif"), { ...grid, crs: "+proj=longlat" }, "uint8", 1), /x\.tif: grid CRS "\+proj=longlat" is not an EPSG code/);
    await oneLine(writeCog(join(d, "x.tif"), grid, [new Float32Array(70 * 45), new Uint8Array(70 * 45)]), /x\.tif: all bands must share one array type/);
    expect(readdirSync(d)).toEqual(["plain"]);
  });

  it("cleans up when the final rename fails (a directory stands at the output path)", async () => {
    const d = freshDir();
    mkdirSync(join(d, "out.tif"));
    await oneLine(writeCog(join(d, "out.tif"), grid, [ramp()], { tileSize: 16 }), /out\.tif: cannot write/);
    expect(readdirSync(d)).toEqual(["out.tif"]);
    expect(readdirSync(join(d, "out.tif"))).toEqual([]);
  });
});
